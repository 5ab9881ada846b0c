import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { APP_CONFIG, AppConfig, createPostgresPool, postgresPoolConfig } from '@app/platform';

/** The warehouse database (WAREHOUSE_URL): the ETL writes it, the reports read it; nothing else touches it. */
@Injectable()
export class WarehouseDatabase implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = createPostgresPool({ ...postgresPoolConfig(config.database.warehouseUrl, 'oms-warehouse'), max: 10 });
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  /** A client of its own, for a transaction or a COPY; the caller releases it. */
  connect(): Promise<PoolClient> {
    return this.pool.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
