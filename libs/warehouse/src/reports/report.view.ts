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
