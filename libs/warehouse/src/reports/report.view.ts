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
