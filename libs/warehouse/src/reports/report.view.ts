export interface DateRange {
  /** YYYY-MM-DD, local to WAREHOUSE_TZ, both ends included. */
  from: string;
  to: string;
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

export interface FacilityThroughputRow {
  facilityId: string;
  code: string;
  itemsAllocated: number;
  itemsShipped: number;
}

export interface AllocationRow {
  date: string;
  facilityId: string;
  code: string;
  /** Null for allocations made before routing named its rules. */
  routingGroupId: string | null;
  /** Null when the rule is unknown, or was deleted before an ETL run saw it. */
  routingGroupName: string | null;
  ruleId: string | null;
  ruleName: string | null;
  items: number;
  units: number;
}

export interface RejectionRow {
  facilityId: string;
  code: string;
  reason: string;
  items: number;
  units: number;
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

export interface AutoCancellationRow {
  date: string;
  items: number;
  units: number;
}
