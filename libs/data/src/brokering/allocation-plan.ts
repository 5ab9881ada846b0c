import { inStockLockOrder, StockKey } from '../database/lock-order';

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface LineToAllocate {
  itemId: string;
  productId: string;
  quantity: number;
}

export interface OrderToAllocate {
  orderId: string;
  /** Null when the address has no coordinates: every facility is then as near as any other. */
  shipTo: GeoPoint | null;
  lines: LineToAllocate[];
}

export interface AllocationFacility extends GeoPoint {
  id: string;
  canShip: boolean;
}

export interface StockLevel extends StockKey {
  availableToPromise: number;
}

export interface AllocationInput {
  /** Oldest first: earlier orders get the stock when orders compete for it. */
  orders: OrderToAllocate[];
  facilities: AllocationFacility[];
  stock: StockLevel[];
}

export interface LineAllocation extends StockKey {
  itemId: string;
  quantity: number;
}

export type BrokeringStatus = 'BROKERED' | 'PARTIALLY_BROKERED' | 'BACKORDERED';

export interface OrderAllocation {
  orderId: string;
  allocations: LineAllocation[];
  backorderedItemIds: string[];
  status: BrokeringStatus;
}

export interface StockReservation extends StockKey {
  quantity: number;
}

export interface AllocationPlan {
  orders: OrderAllocation[];
  /** Total per (facility, product) for the whole batch, in the lock order of inventory rows. */
  reservations: StockReservation[];
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance between two points, in kilometres. */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const deltaLatitude = toRadians(b.latitude - a.latitude);
  const deltaLongitude = toRadians(b.longitude - a.longitude);
  const h = Math.sin(deltaLatitude / 2) ** 2 + Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(deltaLongitude / 2) ** 2;
  // min(1, ...) because rounding can push h a hair above 1 for antipodal points, and asin(>1) is NaN.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

/**
 * Allocates each order's lines to shipping facilities with available-to-promise (ATP), HotWax
 * style: the nearest facility that can ship the whole order, otherwise a greedy split over the
 * fewest facilities, nearest first; a line is never split, and what no facility can take is
 * backordered. Pure: the ATP is copied and consumed order by order, so later orders in the batch
 * see what earlier ones took; the caller's input is left untouched.
 */
export function planAllocations({ orders, facilities, stock }: AllocationInput): AllocationPlan {
  const atp = atpByStockKey(stock);
  const shippers = facilities.filter((facility) => facility.canShip);
  const planned = orders.map((order) => planOrder(order, shippers, atp));
  return { orders: planned, reservations: totalReservations(planned.flatMap((order) => order.allocations)) };
}

/** Whether every reservation still fits the ATP of its row, as the rows stand now (locked). */
export function reservationsFit(reservations: StockReservation[], stock: StockLevel[]): boolean {
  const atp = atpByStockKey(stock);
  return reservations.every((reservation) => reservation.quantity <= availableAt(atp, reservation.facilityId, reservation.productId));
}

type AtpLedger = Map<string, number>;

function stockKey(facilityId: string, productId: string): string {
  return JSON.stringify([facilityId, productId]);
}

function atpByStockKey(stock: StockLevel[]): AtpLedger {
  return new Map(stock.map((level) => [stockKey(level.facilityId, level.productId), level.availableToPromise]));
}

function availableAt(atp: AtpLedger, facilityId: string, productId: string): number {
  return atp.get(stockKey(facilityId, productId)) ?? 0;
}

function planOrder(order: OrderToAllocate, shippers: AllocationFacility[], atp: AtpLedger): OrderAllocation {
  const facilityOfLine = assignLinesToFacilities(order.lines, nearestFirst(shippers, order.shipTo), atp);
  const allocations = order.lines
    .filter((line) => facilityOfLine.has(line))
    .map((line) => ({ itemId: line.itemId, productId: line.productId, facilityId: facilityOfLine.get(line)!, quantity: line.quantity }));
  const backorderedItemIds = order.lines.filter((line) => !facilityOfLine.has(line)).map((line) => line.itemId);
  return { orderId: order.orderId, allocations, backorderedItemIds, status: statusOf(allocations.length, backorderedItemIds.length) };
}

/**
 * Greedy set cover: each round takes the facility that can ship the most remaining lines, the
 * nearest on a tie. A facility that can ship the whole order takes every line, so the first round
 * already prefers the nearest such facility and the order then ships from it alone.
 */
function assignLinesToFacilities(lines: LineToAllocate[], candidates: AllocationFacility[], atp: AtpLedger): Map<LineToAllocate, string> {
  const facilityOfLine = new Map<LineToAllocate, string>();
  let remaining = lines;
  for (;;) {
    const best = facilityTakingMostLines(candidates, remaining, atp);
    if (!best) return facilityOfLine;
    for (const line of best.lines) {
      atp.set(stockKey(best.facilityId, line.productId), availableAt(atp, best.facilityId, line.productId) - line.quantity);
      facilityOfLine.set(line, best.facilityId);
    }
    remaining = remaining.filter((line) => !facilityOfLine.has(line));
  }
}

function facilityTakingMostLines(
  candidates: AllocationFacility[],
  lines: LineToAllocate[],
  atp: AtpLedger,
): { facilityId: string; lines: LineToAllocate[] } | undefined {
  let best: { facilityId: string; lines: LineToAllocate[] } | undefined;
  for (const facility of candidates) {
    const fitting = linesThatFit(facility.id, lines, atp);
    if (fitting.length > (best?.lines.length ?? 0)) best = { facilityId: facility.id, lines: fitting };
  }
  return best;
}

/** Lines of the same product draw on the same ATP, so their quantities add up. */
function linesThatFit(facilityId: string, lines: LineToAllocate[], atp: AtpLedger): LineToAllocate[] {
  const left = new Map<string, number>();
  const fitting: LineToAllocate[] = [];
  for (const line of lines) {
    const available = left.get(line.productId) ?? availableAt(atp, facilityId, line.productId);
    if (line.quantity > available) continue;
    left.set(line.productId, available - line.quantity);
    fitting.push(line);
  }
  return fitting;
}

/** By distance, then by id, so that equally near facilities always come in the same order. */
function nearestFirst(facilities: AllocationFacility[], shipTo: GeoPoint | null): AllocationFacility[] {
  return facilities
    .map((facility) => ({ facility, distance: shipTo === null ? 0 : haversineKm(facility, shipTo) }))
    .sort((a, b) => a.distance - b.distance || compareIds(a.facility.id, b.facility.id))
    .map(({ facility }) => facility);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function statusOf(allocatedLines: number, backorderedLines: number): BrokeringStatus {
  if (backorderedLines === 0) return 'BROKERED';
  return allocatedLines === 0 ? 'BACKORDERED' : 'PARTIALLY_BROKERED';
}

/** The total per (facility, product), in the lock order of inventory rows. */
export function totalReservations(allocations: StockReservation[]): StockReservation[] {
  const totals = new Map<string, StockReservation>();
  for (const { facilityId, productId, quantity } of allocations) {
    const key = stockKey(facilityId, productId);
    const total = totals.get(key) ?? { facilityId, productId, quantity: 0 };
    totals.set(key, { ...total, quantity: total.quantity + quantity });
  }
  return inStockLockOrder([...totals.values()]);
}
