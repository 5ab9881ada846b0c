import { StockLevel, StockReservation, totalReservations } from '../brokering/stock-reservations';
import { GeoPoint, haversineKm } from './geo';
import { CandidateReason, compareCandidates, facilityDropReason, FacilityView, RankedFacility, ruleSettings, RuleSettings } from './inventory-rules';
import { compareCondition } from './condition-compare';
import { compareOrders, matchesOrderFilters, OrderFacts } from './order-filters';
import { Assignment, BACKORDER_QUEUE, REJECTED_QUEUE, Routing, RoutingGroup, RoutingRule, UNFILLABLE_QUEUE } from './routing-config';

export interface RoutableLine {
  /** Null for a line of an order that is only simulated. */
  itemId: string | null;
  productId: string;
  quantity: number;
  unitPrice: number;
  /** Facilities that rejected this item: never chosen for it again. */
  rejectedFacilityIds: string[];
  /** The queue the item waits in. */
  queue: string;
}

export interface RoutableOrder extends OrderFacts {
  shipTo: GeoPoint | null;
  /** The store a PICKUP order is collected at: the only facility it is routed to, whole; null for other orders. */
  pickupFacilityId: string | null;
  /** The items to route (unallocated, in the queues this run takes), in line order. */
  lines: RoutableLine[];
  /** Facilities the order already counts against today (an item of it is allocated there). */
  countedFacilityIds: string[];
}

export interface RoutingFacility extends GeoPoint {
  id: string;
  code: string;
  type: string;
  canShip: boolean;
  /** Whether customers collect PICKUP orders there: what a pickup order asks of its store instead of shipping. */
  canPickup: boolean;
  allowBrokering: boolean;
  /** Orders the facility may still take today; null when unlimited. */
  remainingCapacity: number | null;
  /** Member sequence per facility group code. */
  groupSequences: Record<string, number>;
}

export interface RoutingInput {
  group: RoutingGroup;
  orders: RoutableOrder[];
  facilities: RoutingFacility[];
  /** Brokerable quantity (ATP above safety stock) per facility and product. */
  stock: StockLevel[];
  /** YYYY-MM-DD in the brokering time zone. */
  today: string;
}

export interface RoutedAllocation {
  line: RoutableLine;
  facilityId: string;
  ruleId: string;
}

export interface UnfilledLine {
  line: RoutableLine;
  /** BACKORDER when no rule filled the line and none parked it. */
  action: 'BACKORDER' | 'MOVE_TO_QUEUE' | 'AUTO_CANCEL_DAYS';
  queue: string;
  /** With AUTO_CANCEL_DAYS: cancelled after this many days. */
  autoCancelDays: number | null;
}

export interface CandidateTrace {
  facilityId: string;
  distanceKm: number | null;
  brokerable: number;
  kept: boolean;
  reason: CandidateReason;
}

export interface RuleTrace {
  ruleId: string;
  outcome: 'FULL' | 'PARTIAL' | 'NONE' | 'NOT_RUN';
  /** Set when the rule found facilities but its allItemsAvailable or shipmentThreshold filter refused the result. */
  refusedBy?: 'allItemsAvailable' | 'shipmentThreshold';
  candidates: CandidateTrace[];
}

export interface RoutedOrder {
  order: RoutableOrder;
  /** The routing that took the order; null when none matched (its lines are then backordered). */
  routingId: string | null;
  allocations: RoutedAllocation[];
  unfilled: UnfilledLine[];
  /** Per active rule of the routing, with `explain` only. */
  trace: RuleTrace[];
}

export interface CapacityUse {
  facilityId: string;
  orders: number;
}

export interface RoutingPlan {
  /** In the order in which they were routed (the routings' sorts). */
  orders: RoutedOrder[];
  /** Total per (facility, product), in the lock order of inventory rows. */
  reservations: StockReservation[];
  /** Orders newly counted per facility, by facility id. */
  capacity: CapacityUse[];
}

export interface RoutingOptions {
  /** Build the per-rule trace of every candidate facility (the simulator); brokering leaves it out. */
  explain?: boolean;
}

/**
 * Routes a batch of orders by a routing group, HotWax style: each order goes to the first active
 * routing whose filters it matches; the routing's active rules run in sequence over what is still
 * unfilled. Pure and deterministic: stock and capacity are copied and consumed order by order (in
 * the routings' sorts), so later orders see what earlier ones took; the input is left untouched.
 */
export function routeOrders(input: RoutingInput, options: RoutingOptions = {}): RoutingPlan {
  const state = new BatchState(input);
  const routings = input.group.routings.filter((routing) => routing.status === 'ACTIVE');
  const byRouting = new Map<Routing | null, RoutableOrder[]>();
  for (const order of input.orders) {
    const routing = routings.find((candidate) => matchesOrderFilters(order, candidate.orderFilters, input.today)) ?? null;
    byRouting.set(routing, [...(byRouting.get(routing) ?? []), order]);
  }
  const routed: RoutedOrder[] = [];
  for (const routing of [...routings, null]) {
    const orders = [...(byRouting.get(routing) ?? [])].sort(compareOrders(routing?.orderSorts ?? []));
    for (const order of orders) routed.push(routeOrder(order, routing, state, options.explain === true));
  }
  return {
    orders: routed,
    reservations: totalReservations(
      routed.flatMap((order) =>
        order.allocations.map(({ facilityId, line }) => ({ facilityId, productId: line.productId, quantity: line.quantity })),
      ),
    ),
    capacity: state.capacityUse(),
  };
}

/** Stock and capacity as the batch consumes them. */
class BatchState {
  /** Brokerable quantity by facility, then product: nested maps, as building a key per lookup dominated routing's CPU. */
  private readonly brokerable = new Map<string, Map<string, number>>();
  private readonly capacityLeft = new Map<string, number | null>();
  private readonly counted = new Map<string, number>();
  readonly facilities: RoutingFacility[];
  private readonly stockedFacilities = new Map<string, Set<string>>();

  constructor(input: RoutingInput) {
    this.facilities = input.facilities;
    for (const level of input.stock) {
      this.stockAt(level.facilityId).set(level.productId, level.availableToPromise);
      if (level.availableToPromise > 0)
        this.stockedFacilities.set(level.productId, (this.stockedFacilities.get(level.productId) ?? new Set()).add(level.facilityId));
    }
    for (const facility of input.facilities) this.capacityLeft.set(facility.id, facility.remainingCapacity);
  }

  available(facilityId: string, productId: string): number {
    return this.brokerable.get(facilityId)?.get(productId) ?? 0;
  }

  take(facilityId: string, productId: string, quantity: number): void {
    this.stockAt(facilityId).set(productId, this.available(facilityId, productId) - quantity);
  }

  private stockAt(facilityId: string): Map<string, number> {
    let products = this.brokerable.get(facilityId);
    if (!products) this.brokerable.set(facilityId, (products = new Map()));
    return products;
  }

  hasCapacity(facilityId: string, order: RoutableOrder): boolean {
    const left = this.capacityLeft.get(facilityId);
    return left === null || left === undefined || left > 0 || order.countedFacilityIds.includes(facilityId);
  }

  /** Counts the order once at each facility it newly uses. */
  count(order: RoutableOrder, facilityIds: string[]): void {
    for (const facilityId of new Set(facilityIds)) {
      if (order.countedFacilityIds.includes(facilityId)) continue;
      order.countedFacilityIds = [...order.countedFacilityIds, facilityId];
      const left = this.capacityLeft.get(facilityId);
      if (left !== null && left !== undefined) this.capacityLeft.set(facilityId, left - 1);
      this.counted.set(facilityId, (this.counted.get(facilityId) ?? 0) + 1);
    }
  }

  /** Facilities worth looking at for these products: those with brokerable stock of one of them. */
  stockedFor(lines: RoutableLine[]): Set<string> {
    return new Set(lines.flatMap((line) => [...(this.stockedFacilities.get(line.productId) ?? [])]));
  }

  capacityUse(): CapacityUse[] {
    return [...this.counted.entries()].map(([facilityId, orders]) => ({ facilityId, orders })).sort((a, b) => (a.facilityId < b.facilityId ? -1 : 1));
  }
}

function routeOrder(original: RoutableOrder, routing: Routing | null, state: BatchState, explain: boolean): RoutedOrder {
  // The order's counted facilities grow as it is routed; the caller's object stays as it was.
  const order = { ...original, countedFacilityIds: [...original.countedFacilityIds] };
  const result: RoutedOrder = { order: original, routingId: routing?.id ?? null, allocations: [], unfilled: [], trace: [] };
  let remaining = routing ? order.lines.filter((line) => inRoutingQueues(line, routing)) : order.lines;
  const pickup = order.pickupFacilityId !== null;
  let parked: Omit<UnfilledLine, 'line'> | undefined;
  for (const rule of routing?.rules.filter((candidate) => candidate.status === 'ACTIVE') ?? []) {
    if (remaining.length === 0 || parked) {
      if (explain) result.trace.push({ ruleId: rule.id, outcome: 'NOT_RUN', candidates: [] });
      continue;
    }
    const { allocations, trace } = applyRule(rule, order, remaining, state, explain);
    result.allocations.push(...allocations);
    const filled = new Set(allocations.map((allocation) => allocation.line));
    remaining = remaining.filter((line) => !filled.has(line));
    if (explain) result.trace.push(trace);
    // A pickup order tries every rule at its store; the rules' unfilled actions are for orders that may go elsewhere.
    if (remaining.length > 0 && !pickup) parked = parkingOf(rule);
  }
  const action = pickup ? PICKUP_WAIT : (parked ?? { action: 'BACKORDER', queue: BACKORDER_QUEUE, autoCancelDays: null });
  result.unfilled = remaining.map((line) => ({ line, ...action }));
  const position = new Map(order.lines.map((line, index) => [line, index]));
  result.allocations.sort((a, b) => position.get(a.line)! - position.get(b.line)!);
  return result;
}

/** What a pickup order's store cannot take waits in REJECTED, never at another store; stock arriving there routes it again. */
const PICKUP_WAIT: Omit<UnfilledLine, 'line'> = { action: 'MOVE_TO_QUEUE', queue: REJECTED_QUEUE, autoCancelDays: null };

/** A routing that filters on queues routes only the items waiting in those queues. */
function inRoutingQueues(line: RoutableLine, routing: Routing): boolean {
  return routing.orderFilters.filter((filter) => filter.field === 'queue').every((filter) => compareCondition(line.queue, filter));
}

function parkingOf(rule: RoutingRule): Omit<UnfilledLine, 'line'> | undefined {
  const action = rule.unfilledAction;
  if (action.type === 'MOVE_TO_QUEUE') return { action: 'MOVE_TO_QUEUE', queue: action.queue ?? BACKORDER_QUEUE, autoCancelDays: null };
  if (action.type === 'AUTO_CANCEL_DAYS') return { action: 'AUTO_CANCEL_DAYS', queue: UNFILLABLE_QUEUE, autoCancelDays: action.days ?? 1 };
  return undefined;
}

interface Assessed {
  ranked: RankedFacility;
  /** Lines the facility can take in full now; empty when dropped. */
  fitting: RoutableLine[];
  reason: CandidateReason;
}

function applyRule(
  rule: RoutingRule,
  order: RoutableOrder,
  lines: RoutableLine[],
  state: BatchState,
  explain: boolean,
): { allocations: RoutedAllocation[]; trace: RuleTrace } {
  const settings = ruleSettings(rule);
  // A pickup order is collected whole at one store, whatever the rule's assignment.
  const assignment: Assignment = order.pickupFacilityId === null ? rule.assignment : 'SINGLE';
  const stocked = state.stockedFor(lines);
  const looked = explain ? state.facilities : state.facilities.filter((facility) => stocked.has(facility.id));
  const assessed = looked.map((facility) => assess(facility, order, lines, assignment, settings, state));
  const candidates = assessed
    .filter((entry) => entry.reason === 'OUTRANKED')
    .sort((a, b) => compareCandidates(rule.inventorySorts, settings)(a.ranked, b.ranked));
  const chosen = assignment === 'SINGLE' ? chooseSingle(candidates, lines) : chooseMulti(candidates, lines, settings, state);
  const allocations = chosen.flatMap(({ entry, lines: taken }) =>
    taken.map((line) => ({ line, facilityId: entry.ranked.facility.id, ruleId: rule.id })),
  );
  const refusedBy = refusal(settings, allocations, lines);
  const applied = refusedBy ? [] : allocations;
  for (const allocation of applied) state.take(allocation.facilityId, allocation.line.productId, allocation.line.quantity);
  state.count(
    order,
    applied.map((allocation) => allocation.facilityId),
  );
  const trace: RuleTrace = explain
    ? {
        ruleId: rule.id,
        outcome: outcomeOf(applied.length, lines.length),
        ...(refusedBy ? { refusedBy } : {}),
        candidates: traceOf(assessed, chosen, candidates),
      }
    : { ruleId: rule.id, outcome: outcomeOf(applied.length, lines.length), candidates: [] };
  return { allocations: applied, trace };
}

/** SINGLE keeps a facility only if it can take every remaining line; MULTI one that can take at least one. A pickup order keeps its store only. */
function assess(
  facility: RoutingFacility,
  order: RoutableOrder,
  lines: RoutableLine[],
  assignment: Assignment,
  settings: RuleSettings,
  state: BatchState,
): Assessed {
  const view: FacilityView = {
    id: facility.id,
    code: facility.code,
    type: facility.type,
    canShip: order.pickupFacilityId === null ? facility.canShip : facility.canPickup,
    allowBrokering: facility.allowBrokering,
    distanceKm: order.shipTo ? haversineKm(facility, order.shipTo) : null,
    hasCapacity: state.hasCapacity(facility.id, order),
    groupSequences: facility.groupSequences,
  };
  const ranked = { facility: view, balance: balanceOf(facility.id, lines, state) };
  const dropped =
    order.pickupFacilityId !== null && facility.id !== order.pickupFacilityId ? 'NOT_PICKUP_FACILITY' : facilityDropReason(view, settings);
  if (dropped) return { ranked, fitting: [], reason: dropped };
  const { fitting, firstMiss } = linesThatFit(facility.id, lines, settings, state);
  const kept = assignment === 'SINGLE' ? fitting.length === lines.length : fitting.length > 0;
  return { ranked, fitting, reason: kept ? 'OUTRANKED' : (firstMiss ?? 'NO_STOCK') };
}

function balanceOf(facilityId: string, lines: RoutableLine[], state: BatchState): number {
  return [...new Set(lines.map((line) => line.productId))].reduce((sum, productId) => sum + Math.max(0, state.available(facilityId, productId)), 0);
}

/** Lines of one product draw on the same stock, so their quantities add up; also says why the first line that does not fit fails. */
function linesThatFit(
  facilityId: string,
  lines: RoutableLine[],
  settings: RuleSettings,
  state: BatchState,
): { fitting: RoutableLine[]; firstMiss?: CandidateReason } {
  const left = new Map<string, number>();
  const fitting: RoutableLine[] = [];
  let firstMiss: CandidateReason | undefined;
  for (const line of lines) {
    const available = left.get(line.productId) ?? state.available(facilityId, line.productId);
    const miss = line.rejectedFacilityIds.includes(facilityId)
      ? 'REJECTED_BEFORE'
      : line.quantity > available
        ? 'NO_STOCK'
        : available < settings.safetyStock
          ? 'SAFETY_STOCK'
          : undefined;
    if (miss) {
      firstMiss ??= miss;
      continue;
    }
    left.set(line.productId, available - line.quantity);
    fitting.push(line);
  }
  return { fitting, firstMiss };
}

interface Choice {
  entry: Assessed;
  lines: RoutableLine[];
}

/** The first candidate that can take every remaining line. */
function chooseSingle(candidates: Assessed[], lines: RoutableLine[]): Choice[] {
  const whole = candidates.find((entry) => entry.fitting.length === lines.length);
  return whole ? [{ entry: whole, lines }] : [];
}

/**
 * Greedy set cover: each round takes the candidate that can take the most remaining lines, the
 * earlier in sort order on a tie; a line is never split, and a candidate that can take every line
 * is chosen alone. Each candidate is chosen at most once, so the stock of those not chosen yet is
 * as the rule found it.
 */
function chooseMulti(candidates: Assessed[], lines: RoutableLine[], settings: RuleSettings, state: BatchState): Choice[] {
  const choices: Choice[] = [];
  let remaining = lines;
  let open = candidates;
  while (remaining.length > 0) {
    let best: Choice | undefined;
    for (const entry of open) {
      const { fitting } = linesThatFit(entry.ranked.facility.id, remaining, settings, state);
      if (fitting.length > (best?.lines.length ?? 0)) best = { entry, lines: fitting };
    }
    if (!best) break;
    choices.push(best);
    const chosen = new Set(best.lines);
    remaining = remaining.filter((line) => !chosen.has(line));
    open = open.filter((entry) => entry !== best.entry);
  }
  return choices;
}

function refusal(settings: RuleSettings, allocations: RoutedAllocation[], lines: RoutableLine[]): RuleTrace['refusedBy'] {
  if (allocations.length === 0) return undefined;
  if (settings.allItemsAvailable && allocations.length < lines.length) return 'allItemsAvailable';
  if (settings.shipmentThreshold !== null) {
    const threshold = settings.shipmentThreshold;
    const valueAt = new Map<string, number>();
    for (const { facilityId, line } of allocations) valueAt.set(facilityId, (valueAt.get(facilityId) ?? 0) + valueOf(line));
    const allocated = new Set(allocations.map((allocation) => allocation.line));
    const rest = lines.filter((line) => !allocated.has(line)).reduce((sum, line) => sum + valueOf(line), 0);
    if ([...valueAt.values()].some((value) => value < threshold) || (rest > 0 && rest < threshold)) return 'shipmentThreshold';
  }
  return undefined;
}

function valueOf(line: RoutableLine): number {
  return line.quantity * line.unitPrice;
}

function outcomeOf(allocated: number, lines: number): RuleTrace['outcome'] {
  if (allocated === 0) return 'NONE';
  return allocated === lines ? 'FULL' : 'PARTIAL';
}

function traceOf(assessed: Assessed[], chosen: Choice[], candidates: Assessed[]): CandidateTrace[] {
  const chosenEntries = new Set(chosen.map((choice) => choice.entry));
  const rank = new Map(candidates.map((entry, index) => [entry, index]));
  // Kept candidates in rank order first, then the dropped ones.
  const ordered = [...candidates, ...assessed.filter((entry) => !rank.has(entry))];
  return ordered.map((entry) => ({
    facilityId: entry.ranked.facility.id,
    distanceKm: entry.ranked.facility.distanceKm === null ? null : Math.round(entry.ranked.facility.distanceKm * 10) / 10,
    brokerable: entry.ranked.balance,
    kept: rank.has(entry),
    reason: chosenEntries.has(entry) ? 'CHOSEN' : entry.reason,
  }));
}
