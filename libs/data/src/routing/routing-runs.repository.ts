import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';
import type { RoutingRun } from './routing-config';

/** A run as the engine writes it; it finishes when the transaction that routed commits. */
export type RoutingRunRecord = Omit<RoutingRun, 'id' | 'finishedAt' | 'groupId'> & { groupId: string };

/** The record of each execution of a routing group, written in the transaction that routed. */
@Injectable()
export class RoutingRunsRepository {
  async record(tx: Queryable, run: RoutingRunRecord): Promise<void> {
    await tx.query(
      `INSERT INTO routing_run (group_id, trigger, started_at, finished_at, orders_considered, items_allocated, items_unfilled, by_rule)
       VALUES ($1, $2, $3, clock_timestamp(), $4, $5, $6, $7)`,
      [run.groupId, run.trigger, run.startedAt, run.ordersConsidered, run.itemsAllocated, run.itemsUnfilled, JSON.stringify(run.byRule)],
    );
  }
}
