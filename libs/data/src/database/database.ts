import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import type { Queryable } from '../read-routing/queryable';
import { retryTransient } from './retry-transient';

// TypeORM's plain query() returns [rows, count] for UPDATE/DELETE; the structured form always has rows.
async function rows<T>(runner: QueryRunner, sql: string, params?: unknown[]): Promise<T[]> {
  return (await runner.query(sql, params, true)).records as T[];
}

/** The primary, for SQL that states its own concurrency rules (conditional updates, row locks). */
@Injectable()
export class Database implements Queryable {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await rows<T>(runner, sql, params);
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs `work` in one READ COMMITTED transaction: committed when it resolves, rolled back when it
   * throws. A deadlock or serialization failure runs `work` again (bounded, with jitter), so `work`
   * must do nothing outside the transaction that cannot be repeated.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return retryTransient(() => this.dataSource.transaction((manager) => work({ query: (sql, params) => rows(manager.queryRunner!, sql, params) })));
  }
}
