import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@app/platform';
import { PrimaryDatabase } from '../database/primary-database';
import { OutboxRepository } from '../outbox/outbox.repository';
import { RoutingConfigRepository } from './routing-config.repository';
import { RoutingRunsRepository } from './routing-runs.repository';

export interface QueueSummary {
  queue: string;
  items: number;
  orders: number;
}

/** Operators' view of routing runs: running a group now, and what waits in which queue. */
@Injectable()
export class RoutingRunsService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly config: RoutingConfigRepository,
    private readonly runs: RoutingRunsRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * Records a MANUAL run of the group and, in the same transaction, the event that has a worker
   * run it (through the outbox relay, so the request never waits on the queue); returns its id.
   */
  requestRun(groupId: string): Promise<{ id: string }> {
    return this.db.transaction(async (tx) => {
      if (!(await this.config.findGroup(tx, groupId))) throw new NotFoundError(`routing group ${groupId} not found`);
      const id = await this.runs.open(tx, groupId, 'MANUAL');
      await this.outbox.enqueue(tx, 'routing.run_requested', groupId, { groupId, runId: id });
      return { id };
    });
  }

  /** Unallocated items and their orders per queue they wait in, by queue. */
  queues(): Promise<QueueSummary[]> {
    return this.db.query<QueueSummary>(
      `SELECT queue, count(*)::int AS items, count(DISTINCT order_id)::int AS orders
         FROM order_item WHERE queue IS NOT NULL GROUP BY queue ORDER BY queue`,
    );
  }
}
