import type { DataSourceOptions } from 'typeorm';
import { postgresConnectionOptions } from '@app/platform';
import { CreateEtlRuns1764000000001 } from './migrations/1764000000001-create-etl-runs.migration';
import { CreateStarSchema1764000000002 } from './migrations/1764000000002-create-star-schema.migration';
import { LeanFactOrderItemIndexes1764000000003 } from './migrations/1764000000003-lean-fact-order-item-indexes.migration';
import { CreateRoutingFacts1764000000004 } from './migrations/1764000000004-create-routing-facts.migration';
import { CreateLifecycleFacts1764000000005 } from './migrations/1764000000005-create-lifecycle-facts.migration';

export function warehouseDataSourceOptions(url: string): DataSourceOptions & { url: string } {
  return {
    ...postgresConnectionOptions(url, 'oms-warehouse'),
    entities: [],
    migrations: [
      CreateEtlRuns1764000000001,
      CreateStarSchema1764000000002,
      LeanFactOrderItemIndexes1764000000003,
      CreateRoutingFacts1764000000004,
      CreateLifecycleFacts1764000000005,
    ],
    migrationsTableName: 'schema_migrations',
  };
}
