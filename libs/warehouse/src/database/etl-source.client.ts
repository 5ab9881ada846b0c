import { Inject, Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig } from '@app/platform';

export type EtlSource = 'replica' | 'primary';

/** One consistent, read-only view of the OMS database, held open for the whole extract. */
export class SourceSnapshot {
  constructor(
    readonly source: EtlSource,
    /** The snapshot's time on the source, as an ISO instant. */
    readonly takenAt: string,
    private readonly client: Client,
  ) {}

  /** The rows of a COPY ... TO STDOUT statement, streamed. */
  copyOut(sql: string): Readable {
    return this.client.query(copyTo(sql));
  }

  quote(value: string): string {
    return this.client.escapeLiteral(value);
  }

  async close(): Promise<void> {
    try {
      await this.client.query('ROLLBACK');
    } finally {
      await this.client.end();
    }
  }
}

/**
 * The OMS database the ETL extracts from: the first replica, or the primary only when no replica is
 * configured. A replica that is down fails the run rather than loading the primary behind the
 * operator's back.
 */
@Injectable()
export class EtlSourceClient {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async openSnapshot(): Promise<SourceSnapshot> {
    const [replicaUrl] = this.config.database.replicaUrls;
    const source: EtlSource = replicaUrl ? 'replica' : 'primary';
    const client = new Client({ connectionString: replicaUrl ?? this.config.database.primaryUrl, application_name: 'oms-warehouse-etl' });
    client.on('error', () => undefined); // reported by the statement that fails
    await client.connect();
    try {
      // Every extract of the run sees the same committed state: one snapshot, taken by the first query.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const { rows } = await client.query<{ taken_at: string }>(
        `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS taken_at`,
      );
      return new SourceSnapshot(source, rows[0].taken_at, client);
    } catch (error) {
      await client.end();
      throw error;
    }
  }
}
