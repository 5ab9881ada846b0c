import { CacheInvalidator } from '@app/cache';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { invalidatedTags } from '../common/cache-tags';
import { PrimaryDatabase } from '../database/primary-database';
import type { InventoryItem } from '../entities/inventory-item.entity';
import { InventoryJournal } from '../inventory/inventory-journal';
import { OrderStatusChange, StatusChangesRepository } from '../lifecycle/status-changes.repository';
import { OutboxEventDraft, OutboxRepository } from '../outbox/outbox.repository';
import type { Queryable } from '../read-routing/queryable';
import { ItemRejectionsRepository } from '../routing/item-rejections.repository';
import { RoutingConfigService } from '../routing/routing-config.service';
import { CapacityUse, routeOrders, RoutingFacility, RoutingPlan } from '../routing/routing-engine';
import { RoutingFacilitiesRepository, withRemainingCapacity } from '../routing/routing-facilities.repository';
import { todayIn } from '../routing/today';
import { queuesRoutedBy, routedByRunOf } from '../routing/routed-queues';
import { RoutingRunRecord, RoutingRunsRepository } from '../routing/routing-runs.repository';
import { RoutingGroup } from '../routing/routing-config';
import { PromisesService } from '../supply/promises.service';
import { reservationsFit, StockReservation } from './stock-reservations';
import { BROKERING_ACTOR, BROKERING_REASON, brokeringChanges, isRoutedNow, routingInput } from './brokering-changes';
import { FacilityCapacity, FacilityCapacityRepository } from './facility-capacity.repository';
import { BrokeringRepository, ClaimPosition, LockedItem, LockedOrder } from './brokering.repository';

export interface BrokeringOutcome {
  /** Orders this call changed: items allocated or newly backordered, hence a new status or new allocations. */
  brokered: string[];
  /**
   * Orders left alone: unknown, not open, locked by another transaction (another worker, a cancel),
   * or open with nothing that the stock allows to allocate now. A batch that brokers nothing
   * therefore means there is no work left that would change anything.
   */
  skipped: string[];
  /** Set when the claim was full: pass it as `after` to continue with the orders behind this batch. */
  next?: ClaimPosition;
}

/** What a batch routed, for the run record. */
export type RunStats = Pick<RoutingRunRecord, 'ordersConsidered' | 'itemsAllocated' | 'itemsUnfilled' | 'byRule'>;

/**
 * A batch's outcome, what it routed, the products it reserved stock of (whose availability the
 * caches must drop) and the products of the items it routed (whose pre-order promises may change).
 */
type BatchResult = BrokeringOutcome & { stats: RunStats; reservedProductIds: string[]; routedProductIds: string[] };

type BatchOutcome = Omit<BatchResult, 'reservedProductIds' | 'routedProductIds'>;

/**
 * Which group routes a batch and which items it takes. Event brokering (new orders, stock that
 * arrives) routes the active ORDER_APPROVED group over the routed queues and records a run per
 * batch; a group's own run (its schedule, an operator) takes the queues its routings name and
 * records one run for all its batches.
 */
interface RunScope {
  group: RoutingGroup;
  routes: (item: Pick<LockedItem, 'status' | 'queue'>) => boolean;
  recordsEachBatch: boolean;
}

/**
 * How a batch locks stock. Optimistic: plan on the stock as last committed, then lock only the rows
 * it reserves from and check they still hold enough (a few rows locked instead of every candidate
 * row of every product). Pessimistic: lock every candidate row before planning; the batch runs this
 * way again when the optimistic check finds that stock moved in between.
 */
type StockLocking = 'optimistic' | 'pessimistic';

/** Stock the plan counted on was taken between the read and the lock. */
class StockMovedError extends Error {}

const NOTHING: BrokeringOutcome = { brokered: [], skipped: [] };
const NO_STATS: RunStats = { ordersConsidered: 0, itemsAllocated: 0, itemsUnfilled: 0, byRule: [] };
const NOTHING_LOCKED: BatchResult = { ...NOTHING, stats: NO_STATS, reservedProductIds: [], routedProductIds: [] };

/** HotWax-style order routing over the database: set-based, in the global lock order. */
@Injectable()
export class BrokeringService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly brokering: BrokeringRepository,
    private readonly journal: InventoryJournal,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheInvalidator,
    private readonly statuses: StatusChangesRepository,
    private readonly config: RoutingConfigService,
    private readonly facilities: RoutingFacilitiesRepository,
    private readonly capacity: FacilityCapacityRepository,
    private readonly rejections: ItemRejectionsRepository,
    private readonly runs: RoutingRunsRepository,
    private readonly promises: PromisesService,
    @Inject(APP_CONFIG) appConfig: Pick<AppConfig, 'brokering'>,
  ) {
    this.timeZone = appConfig.brokering.timeZone;
  }

  private readonly timeZone: string;

  /**
   * Brokers these orders (their CREATED and BACKORDERED items) in one transaction and, with
   * `upTo`, new orders waiting besides them (oldest first) up to that many orders in all: under
   * load the relay hands over small batches, and taking what has queued since into the same
   * transaction keeps brokering at the per-order cost of a large batch. The jobs of the orders taken
   * early then find them brokered and take the next ones waiting. With `waitForLocks`, an order
   * another transaction holds is waited for rather than skipped (a request that answers with the
   * routed order).
   */
  async brokerOrders(orderIds: string[], upTo?: number, options: { waitForLocks?: boolean } = {}): Promise<BrokeringOutcome> {
    const requested = [...new Set(orderIds)];
    if (requested.length === 0) return NOTHING;
    return withoutStats(
      await this.runBatch(async (tx, locking) => {
        const orders = await this.brokering.lockOpenOrders(tx, requested, upTo, options.waitForLocks);
        const outcome = await this.brokerLocked(tx, orders, locking);
        const brokered = new Set(outcome.brokered);
        return { ...outcome, skipped: requested.filter((id) => !brokered.has(id)) };
      }),
    );
  }

  /**
   * Brokers up to `limit` open orders that still have unallocated items: never brokered orders
   * first (a backlog of backorders must not starve new orders), then oldest first. Concurrent
   * callers claim disjoint batches.
   */
  async brokerPending(limit: number, after?: ClaimPosition): Promise<BrokeringOutcome> {
    if (limit <= 0) return NOTHING;
    return withoutStats(
      await this.runBatch(async (tx, locking) => this.brokerClaimed(tx, await this.brokering.claimPendingOrders(tx, limit, after), limit, locking)),
    );
  }

  /** Brokers up to `limit` orders with backordered items of these products, oldest first. */
  async rebrokerProducts(productIds: string[], limit: number, after?: ClaimPosition): Promise<BrokeringOutcome> {
    if (productIds.length === 0 || limit <= 0) return NOTHING;
    return withoutStats(
      await this.runBatch(async (tx, locking) =>
        this.brokerClaimed(tx, await this.brokering.claimBackorderedOrders(tx, [...new Set(productIds)], limit, after), limit, locking),
      ),
    );
  }

  /**
   * Brokers every order with backordered items of these products now, oldest first, batch after
   * batch, waiting for an order another transaction holds (a worker brokering it from the same
   * events) rather than skipping it: once it resolves, each of them has been routed with the
   * stock committed before the call. For a request that must answer with the result (a receipt).
   */
  async rebrokerProductsNow(productIds: string[], batchSize: number): Promise<void> {
    let after: ClaimPosition | undefined;
    for (;;) {
      const orders = await this.brokering.readBackorderedOrders(this.db, [...new Set(productIds)], batchSize, after);
      if (orders.length > 0)
        await this.brokerOrders(
          orders.map((order) => order.id),
          undefined,
          { waitForLocks: true },
        );
      if (orders.length < batchSize) return;
      after = orders[orders.length - 1].position;
    }
  }

  /**
   * Runs a routing group now, over every order with items waiting in the queues it routes (an
   * ORDER_APPROVED group: new items, backorders and rejected items; a SCHEDULE group: the queues
   * its routings filter on), in batches of `batchSize`, and records the run: the operator's run
   * `runId`, or a new SCHEDULE run. A group that is gone, or a scheduled group no longer active, runs nothing.
   */
  async runGroup(groupId: string, batchSize: number, runId?: string): Promise<RunStats> {
    const group = await this.config.group(groupId);
    const runnable = group !== null && (runId !== undefined || group.status === 'ACTIVE');
    const id = runId ?? (runnable ? await this.runs.open(this.db, groupId, 'SCHEDULE') : undefined);
    let stats = NO_STATS;
    if (runnable) {
      const queues = queuesRoutedBy(group);
      const scope: RunScope = { group, routes: routedByRunOf(group), recordsEachBatch: false };
      let after: ClaimPosition | undefined;
      do {
        const batch = await this.runBatch(async (tx, locking) =>
          this.brokerClaimed(tx, await this.brokering.claimQueuedOrders(tx, queues, batchSize, after), batchSize, locking, scope),
        );
        stats = addStats(stats, batch.stats);
        after = batch.next;
      } while (after);
    }
    if (id !== undefined) await this.runs.finish(this.db, id, stats);
    return stats;
  }

  /**
   * Runs a batch in one transaction, optimistic first and pessimistic if stock moved under it; once
   * it has committed, drops the cached availability of what it reserved on every instance (the
   * outbox relay does it again, for when Redis is down now) and recomputes the pre-order promises
   * of what it routed (items it backordered wait for purchase orders; those it allocated free theirs).
   */
  private async runBatch(batch: (tx: Queryable, locking: StockLocking) => Promise<BatchResult>): Promise<BatchOutcome> {
    const run = (locking: StockLocking) => this.db.transaction((tx) => batch(tx, locking));
    const { reservedProductIds, routedProductIds, ...outcome } = await run('optimistic').catch((error: unknown) => {
      if (error instanceof StockMovedError) return run('pessimistic');
      throw error;
    });
    const reserved = reservedProductIds.map((productId) => ({ topic: 'inventory.changed' as const, productId }));
    // Published, not acknowledged: no client waits on this write, and waiting for busy API instances would hold up brokering.
    await this.cache.invalidate(invalidatedTags(reserved), { waitForInstances: false });
    await this.promises.recomputeAfter(routedProductIds, 'brokering');
    return outcome;
  }

  private async brokerClaimed(tx: Queryable, claimed: LockedOrder[], limit: number, locking: StockLocking, scope?: RunScope): Promise<BatchResult> {
    const outcome = await this.brokerLocked(tx, claimed, locking, scope);
    return claimed.length < limit ? outcome : { ...outcome, next: claimed[claimed.length - 1].position };
  }

  /**
   * Routes and applies a batch of orders whose rows this transaction has locked: their items, then
   * the stock they draw on, then the capacity of the facilities they go to, are locked in the
   * global lock order, and every write is one statement for the whole batch.
   */
  private async brokerLocked(tx: Queryable, orders: LockedOrder[], locking: StockLocking, given?: RunScope): Promise<BatchResult> {
    const scope = given ?? (orders.length === 0 ? undefined : await this.eventScope());
    if (!scope) return { ...NOTHING_LOCKED, skipped: orders.map((order) => order.id) };
    const { group } = scope;
    const startedAt = new Date();
    const items = await this.brokering.lockItems(
      tx,
      orders.map((order) => order.id),
    );
    const routed = items.filter(scope.routes);
    const productIds = [...new Set(routed.map((item) => item.productId))];
    const stock =
      locking === 'optimistic' ? await this.brokering.readShippableStock(tx, productIds) : await this.brokering.lockShippableStock(tx, productIds);
    const known = await this.facilities.read(tx);
    const facilities = withRemainingCapacity(known, await this.capacityFor(tx, known, locking));
    const rejections = await this.rejections.rejectingFacilities(
      tx,
      routed.map((item) => item.id),
    );
    const plan = routeOrders(
      routingInput(orders, items, scope.routes, {
        group,
        facilities,
        stock,
        rejections,
        today: todayIn(this.timeZone),
      }),
    );
    if (locking === 'optimistic') {
      await this.lockPlannedStock(tx, plan.reservations);
      await this.lockPlannedCapacity(tx, plan.capacity, facilities);
    }
    const changes = brokeringChanges(orders, items, plan, group.id, startedAt);

    const balances = await this.reserve(tx, plan.reservations);
    await this.capacity.countOrders(tx, plan.capacity);
    await this.statuses.moveItems(tx, changes.items);
    await this.statuses.moveOrders(tx, changes.orders);
    await this.journal.appendLedger(tx, changes.ledger);
    await this.outbox.enqueueMany(tx, [...this.inventoryEvents(plan.reservations, balances), ...changes.orders.map(orderBrokeredEvent)]);
    const stats = statsOf(plan);
    if (scope.recordsEachBatch) await this.runs.record(tx, { groupId: group.id, trigger: 'EVENT', startedAt, ...stats });
    const brokered = new Set(changes.orders.map((order) => order.orderId));
    return {
      stats,
      brokered: [...brokered],
      skipped: orders.map((order) => order.id).filter((id) => !brokered.has(id)),
      reservedProductIds: [...new Set(plan.reservations.map((reservation) => reservation.productId))],
      routedProductIds: productIds,
    };
  }

  /** Event brokering: the active ORDER_APPROVED group over the routed queues; none when no group is active. */
  private async eventScope(): Promise<RunScope | undefined> {
    const group = await this.config.activeGroup('ORDER_APPROVED');
    return group ? { group, routes: isRoutedNow, recordsEachBatch: true } : undefined;
  }

  /** Today's capacity of every facility: as last committed to plan on, or locked (the limited ones) when planning under locks. */
  private async capacityFor(tx: Queryable, facilities: { id: string }[], locking: StockLocking): Promise<FacilityCapacity[]> {
    const read = await this.capacity.readRemaining(
      tx,
      facilities.map((facility) => facility.id),
    );
    if (locking === 'optimistic') return read;
    const limited = read.filter((row) => row.maximumOrdersPerDay !== null).map((row) => row.facilityId);
    const locked = new Map((await this.capacity.lockRemaining(tx, limited)).map((row) => [row.facilityId, row]));
    return read.map((row) => locked.get(row.facilityId) ?? row);
  }

  private async lockPlannedStock(tx: Queryable, reservations: StockReservation[]): Promise<void> {
    if (!reservationsFit(reservations, await this.brokering.lockStockRows(tx, reservations))) throw new StockMovedError();
  }

  /** Locks the capacity rows of the limited facilities the plan counts orders at; any change since the plan read them means planning again under locks. */
  private async lockPlannedCapacity(tx: Queryable, uses: CapacityUse[], facilities: RoutingFacility[]): Promise<void> {
    const planned = new Map(facilities.map((facility) => [facility.id, facility.remainingCapacity]));
    const limited = uses.filter((use) => planned.get(use.facilityId) != null).map((use) => use.facilityId);
    const locked = await this.capacity.lockRemaining(tx, limited);
    if (locked.some((row) => row.remaining !== planned.get(row.facilityId))) throw new StockMovedError();
  }

  /** Reserves the stock; the rows are locked and were read under the lock, so every reservation fits. */
  private async reserve(tx: Queryable, reservations: StockReservation[]): Promise<InventoryItem[]> {
    const balances = await this.brokering.reserve(tx, reservations);
    if (balances.length !== reservations.length) {
      // Unreachable while the locks hold; throwing rolls the whole batch back rather than oversell.
      throw new Error(`brokering: ${reservations.length - balances.length} of ${reservations.length} reservations exceeded the stock on hand`);
    }
    return balances;
  }

  private inventoryEvents(reservations: StockReservation[], balances: InventoryItem[]): OutboxEventDraft[] {
    return reservations.map((reservation) => {
      const balance = balances.find((b) => b.facilityId === reservation.facilityId && b.productId === reservation.productId)!;
      return this.journal.changedEvent(balance, {
        onHandDelta: 0,
        reservedDelta: reservation.quantity,
        reason: BROKERING_REASON,
        actor: BROKERING_ACTOR,
      });
    });
  }
}

function statsOf(plan: RoutingPlan): RunStats {
  const byRule = new Map<string, number>();
  for (const allocation of plan.orders.flatMap((order) => order.allocations)) byRule.set(allocation.ruleId, (byRule.get(allocation.ruleId) ?? 0) + 1);
  return {
    ordersConsidered: plan.orders.length,
    itemsAllocated: plan.orders.reduce((sum, order) => sum + order.allocations.length, 0),
    itemsUnfilled: plan.orders.reduce((sum, order) => sum + order.unfilled.length, 0),
    byRule: [...byRule.entries()].map(([ruleId, itemsAllocated]) => ({ ruleId, itemsAllocated })),
  };
}

function addStats(a: RunStats, b: RunStats): RunStats {
  const byRule = new Map(a.byRule.map((rule) => [rule.ruleId, rule.itemsAllocated]));
  for (const rule of b.byRule) byRule.set(rule.ruleId, (byRule.get(rule.ruleId) ?? 0) + rule.itemsAllocated);
  return {
    ordersConsidered: a.ordersConsidered + b.ordersConsidered,
    itemsAllocated: a.itemsAllocated + b.itemsAllocated,
    itemsUnfilled: a.itemsUnfilled + b.itemsUnfilled,
    byRule: [...byRule.entries()].map(([ruleId, itemsAllocated]) => ({ ruleId, itemsAllocated })),
  };
}

function withoutStats({ stats: _stats, ...outcome }: BatchOutcome): BrokeringOutcome {
  return outcome;
}

function orderBrokeredEvent({ orderId, status }: OrderStatusChange): OutboxEventDraft {
  return { topic: 'order.brokered', aggregateId: orderId, payload: { orderId, status } };
}
