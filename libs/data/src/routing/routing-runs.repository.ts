import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';
import type { RoutingRun, RoutingRunTrigger } from './routing-config';

/** A run as the engine writes it; it finishes when the transaction that routed commits. */
export type RoutingRunRecord = Omit<RoutingRun, 'id' | 'finishedAt' | 'groupId'> & { groupId: string };

type RunStats = Pick<RoutingRunRecord, 'ordersConsidered' | 'itemsAllocated' | 'itemsUnfilled' | 'byRule'>;

/** The record of each execution of a routing group: a batch's in the transaction that routed; a group run's opened at its start and finished at its end. */
@Injectable()
export class RoutingRunsRepository {
  async record(tx: Queryable, run: RoutingRunRecord): Promise<void> {
    await tx.query(
      `INSERT INTO routing_run (group_id, trigger, started_at, finished_at, orders_considered, items_allocated, items_unfilled, by_rule)
       VALUES ($1, $2, $3, clock_timestamp(), $4, $5, $6, $7)`,
      [run.groupId, run.trigger, run.startedAt, run.ordersConsidered, run.itemsAllocated, run.itemsUnfilled, JSON.stringify(run.byRule)],
    );
  }

  /** A run that starts now (finished by finish()); returns its id. */
  async open(db: Queryable, groupId: string, trigger: RoutingRunTrigger): Promise<string> {
    const [run] = await db.query<{ id: string }>('INSERT INTO routing_run (group_id, trigger) VALUES ($1, $2) RETURNING id', [groupId, trigger]);
    return run.id;
  }

  async finish(db: Queryable, runId: string, stats: RunStats): Promise<void> {
    await db.query(
      `UPDATE routing_run SET finished_at = clock_timestamp(), orders_considered = $2, items_allocated = $3, items_unfilled = $4, by_rule = $5
        WHERE id = $1`,
      [runId, stats.ordersConsidered, stats.itemsAllocated, stats.itemsUnfilled, JSON.stringify(stats.byRule)],
    );
  }
}
