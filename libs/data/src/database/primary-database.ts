import type { OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { Queryable } from '../read-routing/queryable';
import { PreparedStatements } from './prepared-statements';
import { retryTransient } from './retry-transient';

/** The primary, for SQL that states its own concurrency rules (conditional updates, row locks). */
export class PrimaryDatabase implements Queryable, OnApplicationShutdown {
  private readonly statements = new PreparedStatements();

  /** Takes `pool` (one of createPostgresPool's) over: the project's raw SQL runs on it, and it is ended on shutdown. */
  constructor(private readonly pool: Pool) {}

  /** Straight on the pool, as a prepared statement. */
  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.pool.query(this.statements.config(sql, params))).rows as T[];
  }

  /**
   * Runs `work` in one READ COMMITTED transaction: committed when it resolves, rolled back when it
   * throws. A deadlock or serialization failure runs `work` again (bounded, with jitter), so `work`
   * must do nothing outside the transaction that cannot be repeated.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return retryTransient(() => this.inTransaction(work));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  /** One attempt, on one connection; a connection whose ROLLBACK fails is discarded rather than reused. */
  private async inTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(this.onConnection(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Queries on the connection that holds the transaction. */
  private onConnection(client: PoolClient): Queryable {
    return {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(this.statements.config(sql, params))).rows as T[],
    };
  }
}
