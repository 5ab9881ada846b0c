export interface DateRange {
  /** YYYY-MM-DD, local to WAREHOUSE_TZ, both ends included. */
  from: string;
  to: string;
}

/** A row of one day (YYYY-MM-DD). */
interface DayRow {
  date: string;
}

/** A row of one facility, with its code. */
interface FacilityRow {
  facilityId: string;
  code: string;
}

/** Order lines and their units. */
interface ItemsAndUnits {
  items: number;
  units: number;
}

export interface DailySalesRow {
  date: string;
  orders: number;
  units: number;
  revenue: string;
}

export interface TopProductRow {
  productId: string;
  sku: string;
  name: string;
  units: number;
  revenue: string;
}

export interface FacilityThroughputRow extends FacilityRow {
  itemsAllocated: number;
  itemsShipped: number;
}

export interface AllocationRow extends DayRow, FacilityRow, ItemsAndUnits {
  /** Null for allocations made before routing named its rules. */
  routingGroupId: string | null;
  /** Null when the rule is unknown, or was deleted before an ETL run saw it. */
  routingGroupName: string | null;
  ruleId: string | null;
  ruleName: string | null;
}

export interface RejectionRow extends FacilityRow, ItemsAndUnits {
  reason: string;
}

export interface HoldRow {
  date: string;
  reason: string;
  /** Orders held that day for the reason (an order held twice for it counts once). */
  orders: number;
}

export interface ApprovalTimeRow {
  /** The day of the approval. */
  date: string;
  orders: number;
  /** Minutes from creation to approval, to 2 decimals; the percentiles are interpolated. */
  avgMinutes: number;
  p50Minutes: number;
  p90Minutes: number;
}

export interface ReturnRow {
  date: string;
  reason: string;
  /** Returns received that day with an item returned for the reason. */
  returns: number;
  /** Units received back for the reason. */
  units: number;
}

export type AutoCancellationRow = DayRow & ItemsAndUnits;

export interface ShipmentRow extends DayRow, FacilityRow, ItemsAndUnits {
  /** Shipments: the items of one order the facility shipped at one instant. */
  shipments: number;
  /** Orders with at least one item shipped by the facility that day. */
  orders: number;
}

export interface ShipmentTimeRow extends FacilityRow {
  /** Shipments with at least one item that has an allocation time. */
  shipments: number;
  /** Items shipped with an allocation time, each measured from its latest allocation before the shipment. */
  items: number;
  /** Minutes from allocation to shipment, to 2 decimals, interpolated. */
  p50Minutes: number;
  p90Minutes: number;
}

export interface NotCollectedRow {
  date: string;
  /** Null when neither the entry nor the order names a facility. */
  facilityId: string | null;
  code: string | null;
  /** Orders cancelled that day because nobody collected them (order and item entries of one order count once). */
  orders: number;
}

export interface ReceiptRow extends DayRow, FacilityRow {
  /** Receipts the facility took in that day. */
  receipts: number;
  /** Purchase orders those receipts were against (one received twice that day counts once). */
  purchaseOrders: number;
  /** Receipt lines: the products of each receipt. */
  lines: number;
  units: number;
}

export interface PurchaseOrderLeadTimeRow extends FacilityRow {
  /** Receipts in the range, each measured once: its day minus its purchase order's expected date. */
  receipts: number;
  /** Lead days, to 2 decimals (negative: early); the percentiles are interpolated. */
  meanLeadDays: number;
  p50LeadDays: number;
  p90LeadDays: number;
  /** The share of the receipts received on or before the expected date, 0..1 to 4 decimals. */
  onTimeShare: number;
}

export interface PreorderWaitingRow {
  productId: string;
  sku: string;
  name: string;
  /** Order lines waiting with a promise. */
  lines: number;
  units: number;
  /** Days from the orders' creation to the as-of time, to 2 decimals. */
  oldestAgeDays: number;
  meanAgeDays: number;
  /** YYYY-MM-DD. */
  earliestPromiseDate: string;
  latestPromiseDate: string;
}

export interface PreordersWaiting {
  /** The finish of the last successful ETL run, which the ages are measured to; null before any. */
  asOf: Date | null;
  rows: PreorderWaitingRow[];
}
