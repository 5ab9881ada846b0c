import type { DataSourceOptions } from 'typeorm';
import { CreateApiKeys1764000000000 } from '../migrations/1764000000000-create-api-keys.migration';

export const OMS_MIGRATIONS = [CreateApiKeys1764000000000];

/** Pool settings shared by every PostgreSQL connection the apps open. */
export function postgresConnectionOptions(url: string, applicationName: string) {
  return {
    type: 'postgres' as const,
    url,
    applicationName,
    synchronize: false,
    extra: { max: 20, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 },
  };
}

export function primaryDataSourceOptions(url: string, applicationName: string): DataSourceOptions & { url: string } {
  return {
    ...postgresConnectionOptions(url, applicationName),
    entities: [],
    migrations: OMS_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
  };
}
