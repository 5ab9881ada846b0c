import type { DataSourceOptions } from 'typeorm';
import { postgresConnectionOptions } from '@app/platform';
import { CreateEtlRuns1764000000001 } from './migrations/1764000000001-create-etl-runs.migration';
import { CreateStarSchema1764000000002 } from './migrations/1764000000002-create-star-schema.migration';
import { LeanFactOrderItemIndexes1764000000003 } from './migrations/1764000000003-lean-fact-order-item-indexes.migration';
import { CreateRoutingFacts1764000000004 } from './migrations/1764000000004-create-routing-facts.migration';
import { CreateLifecycleFacts1764000000005 } from './migrations/1764000000005-create-lifecycle-facts.migration';
import { CreateReturnFacts1764000000006 } from './migrations/1764000000006-create-return-facts.migration';
import { CreateFulfilmentFacts1764000000007 } from './migrations/1764000000007-create-fulfilment-facts.migration';
import { CreateSupplyFacts1764000000008 } from './migrations/1764000000008-create-supply-facts.migration';

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
      CreateReturnFacts1764000000006,
      CreateFulfilmentFacts1764000000007,
      CreateSupplyFacts1764000000008,
    ],
    migrationsTableName: 'schema_migrations',
  };
}
