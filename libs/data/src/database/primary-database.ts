import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import type { Queryable } from '../read-routing/queryable';
import { PreparedStatements } from './prepared-statements';
import { retryTransient } from './retry-transient';

/** The primary, for SQL that states its own concurrency rules (conditional updates, row locks). */
@Injectable()
export class PrimaryDatabase implements Queryable {
  private readonly statements = new PreparedStatements();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Straight on TypeORM's pool (the pg driver's), as a prepared statement. */
  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    return (await pool.query(this.statements.config(sql, params))).rows as T[];
  }

  /**
   * Runs `work` in one READ COMMITTED transaction: committed when it resolves, rolled back when it
   * throws. A deadlock or serialization failure runs `work` again (bounded, with jitter), so `work`
   * must do nothing outside the transaction that cannot be repeated.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return retryTransient(() => this.dataSource.transaction((manager) => work(this.onConnectionOf(manager.queryRunner!))));
  }

  /** Queries on the connection that holds the transaction (TypeORM's runner is connected once its transaction has begun). */
  private onConnectionOf(runner: QueryRunner): Queryable {
    return {
      query: async <T>(sql: string, params?: unknown[]) => {
        const client = (await runner.connect()) as PoolClient;
        return (await client.query(this.statements.config(sql, params))).rows as T[];
      },
    };
  }
}
