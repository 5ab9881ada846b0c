import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { PrimaryDatabase } from '../database/primary-database';
import { ReplicaClient, ReplicaReadError } from '../replica/replica.client';
import type { Queryable } from './queryable';
import { WriteMarksStore } from './write-marks.store';

/**
 * Where a read goes. The primary by default (the cache sits in front of it); with
 * READ_FROM_REPLICA=true, list and search reads go to a replica that has replayed the reader's own
 * last write, falling back to the primary when no replica is caught up, lagging or reachable.
 */
@Injectable()
export class ReadRouter {
  private readonly replicaReads: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    readonly primary: PrimaryDatabase,
    private readonly replicas: ReplicaClient,
    private readonly writeMarks: WriteMarksStore,
  ) {
    this.replicaReads = config.database.readFromReplica && replicas.configured;
  }

  async forListRead(clientId: string | undefined): Promise<Queryable> {
    if (!this.replicaReads) return this.primary;
    const minimumLsn = clientId ? await this.writeMarks.lastWrite(clientId) : undefined;
    const replica = await this.replicas.pickForRead(minimumLsn);
    if (!replica) return this.primary;
    return {
      query: async (sql, params) => {
        try {
          return await replica.query(sql, params);
        } catch (error) {
          if (error instanceof ReplicaReadError) return this.primary.query(sql, params);
          throw error;
        }
      },
    };
  }

  /** Called after a client's write commits: its next list read waits for a replica that has this. */
  async noteWrite(clientId: string): Promise<void> {
    if (!this.replicaReads) return;
    const [{ lsn }] = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    await this.writeMarks.record(clientId, lsn);
  }
}
