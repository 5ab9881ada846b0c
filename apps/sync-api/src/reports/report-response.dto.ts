import { ApiProperty } from '@nestjs/swagger';
import { HOLD_REASONS, REJECTION_REASONS, RETURN_REASONS } from '@app/data';
import { IntegerProperty, MoneyProperty, UuidProperty } from '../api/schema-properties';

export class DailySalesRowDto {
  /** @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  /** Orders with at least one line sold that day (cancelled lines are not sales). */
  @IntegerProperty({ minimum: 0 })
  orders: number;

  @IntegerProperty({ minimum: 0 })
  units: number;

  @MoneyProperty()
  revenue: string;
}

export class DailySalesReportDto {
  /** One row per day with sales, oldest first. */
  rows: DailySalesRowDto[];
}

export class TopProductRowDto {
  @UuidProperty()
  productId: string;

  sku: string;

  name: string;

  @IntegerProperty({ minimum: 0 })
  units: number;

  @MoneyProperty()
  revenue: string;
}

export class TopProductsReportDto {
  /** Most units sold first. */
  rows: TopProductRowDto[];
}

/** A row of a report by facility: the facility and its code. */
class FacilityRowDto {
  @UuidProperty()
  facilityId: string;

  /** @example "WH-EAST" */
  code: string;
}

export class FacilityThroughputRowDto extends FacilityRowDto {
  /** Order lines allocated to the facility (shipped ones included). */
  @IntegerProperty({ minimum: 0 })
  itemsAllocated: number;

  /** Order lines the facility shipped. */
  @IntegerProperty({ minimum: 0 })
  itemsShipped: number;
}

export class FacilityThroughputReportDto {
  rows: FacilityThroughputRowDto[];
}

export class AllocationRowDto {
  /** The day of the allocation. @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  @UuidProperty()
  facilityId: string;

  /** @example "WH-EAST" */
  code: string;

  /** The routing group of the rule; null for allocations made before routing named its rules. */
  @UuidProperty({ nullable: true })
  routingGroupId: string | null;

  /** The group's name as the warehouse last saw it; null when the rule is unknown to it. @example "Default" */
  @ApiProperty({ type: String, nullable: true })
  routingGroupName: string | null;

  /** The routing rule that chose the facility; null for allocations made before routing named its rules. */
  @UuidProperty({ nullable: true })
  ruleId: string | null;

  /** The rule's name as the warehouse last saw it (a rule deleted since keeps it); null when unknown to it. @example "Nearest facility with every item" */
  @ApiProperty({ type: String, nullable: true })
  ruleName: string | null;

  /** Order lines allocated (a line allocated again after a rejection counts at each facility). */
  @IntegerProperty({ minimum: 1 })
  items: number;

  /** Their units. */
  @IntegerProperty({ minimum: 1 })
  units: number;
}

export class AllocationsReportDto {
  /** One row per day, facility and rule with allocations: oldest day first, then by facility code, group and rule name. */
  rows: AllocationRowDto[];
}

export class RejectionRowDto extends FacilityRowDto {
  @ApiProperty({ enum: REJECTION_REASONS })
  reason: string;

  /** Order lines the facility rejected for this reason. */
  @IntegerProperty({ minimum: 1 })
  items: number;

  /** Their units. */
  @IntegerProperty({ minimum: 1 })
  units: number;
}

export class RejectionsReportDto {
  /** One row per facility and reason with rejections, by facility code then reason. */
  rows: RejectionRowDto[];
}

export class HoldRowDto {
  /** The day of the hold. @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  /** Why: an approval rule's reason at creation, or customer service's when it held the order later. */
  @ApiProperty({ enum: HOLD_REASONS })
  reason: string;

  /** Orders held that day for this reason (an order held twice for it counts once). */
  @IntegerProperty({ minimum: 1 })
  orders: number;
}

export class HoldsReportDto {
  /** One row per day and reason with holds: oldest day first, then by reason. */
  rows: HoldRowDto[];
}

export class ApprovalTimeRowDto {
  /** The day of the approvals. @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  /** Orders approved that day: at creation, or by the release of a hold placed before any approval. */
  @IntegerProperty({ minimum: 1 })
  orders: number;

  /** Mean minutes from an order's creation to its approval, to 2 decimals (0 for an order approved at creation). @example 12.5 */
  @ApiProperty({ minimum: 0 })
  avgMinutes: number;

  /** Median minutes (interpolated), to 2 decimals. @example 0 */
  @ApiProperty({ minimum: 0 })
  p50Minutes: number;

  /** 90th percentile of the minutes (interpolated), to 2 decimals. @example 45.25 */
  @ApiProperty({ minimum: 0 })
  p90Minutes: number;
}

export class ApprovalTimesReportDto {
  /** One row per day with approvals, oldest first. */
  rows: ApprovalTimeRowDto[];
}

export class AutoCancellationRowDto {
  /** The day of the cancellations. @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  /** Order lines the auto-cancel schedule cancelled that day (their auto-cancel time had passed). */
  @IntegerProperty({ minimum: 1 })
  items: number;

  /** Their units. */
  @IntegerProperty({ minimum: 1 })
  units: number;
}

export class AutoCancellationsReportDto {
  /** One row per day with auto-cancellations, oldest first. */
  rows: AutoCancellationRowDto[];
}

export class ShipmentRowDto {
  /** The day of the shipments. @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  @UuidProperty()
  facilityId: string;

  /** @example "WH-EAST" */
  code: string;

  /** Shipments: the items of one order the facility shipped at one instant (a partial shipment and the rest of the order later are two). */
  @IntegerProperty({ minimum: 1 })
  shipments: number;

  /** Orders the facility shipped items of that day (an order shipped in two parts that day counts once). */
  @IntegerProperty({ minimum: 1 })
  orders: number;

  /** Order lines shipped. */
  @IntegerProperty({ minimum: 1 })
  items: number;

  /** Their units. */
  @IntegerProperty({ minimum: 1 })
  units: number;
}

export class ShipmentsReportDto {
  /** One row per day and facility with shipments: oldest day first, then by facility code. */
  rows: ShipmentRowDto[];
}

export class ShipmentTimeRowDto extends FacilityRowDto {
  /** Shipments in the range with at least one measured line. */
  @IntegerProperty({ minimum: 1 })
  shipments: number;

  /** Order lines shipped in the range, each measured from its latest allocation before the shipment (a line with no allocation in its history is left out). */
  @IntegerProperty({ minimum: 1 })
  items: number;

  /** Median minutes from allocation to shipment (interpolated), to 2 decimals. @example 42.5 */
  @ApiProperty({ minimum: 0 })
  p50Minutes: number;

  /** 90th percentile of the minutes (interpolated), to 2 decimals. @example 180.25 */
  @ApiProperty({ minimum: 0 })
  p90Minutes: number;
}

export class ShipmentTimesReportDto {
  /** One row per facility that shipped in the range, by facility code. */
  rows: ShipmentTimeRowDto[];
}

export class PickupNotCollectedRowDto {
  /** The day of the cancellations. @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  /** The store the pickup waited at (the item's facility, else the order's pickup facility); null when the history names none. */
  @UuidProperty({ nullable: true })
  facilityId: string | null;

  /** The store's code; null when unknown to the warehouse. @example "STORE-1" */
  @ApiProperty({ type: String, nullable: true })
  code: string | null;

  /** Orders cancelled that day because nobody collected them (`not collected` in their history). */
  @IntegerProperty({ minimum: 1 })
  orders: number;
}

export class PickupsNotCollectedReportDto {
  /** One row per day and store with pickups not collected: oldest day first, then by facility code. */
  rows: PickupNotCollectedRowDto[];
}

export class ReturnRowDto {
  /** The day the returns were received. @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  /** Why the customer sent the items back. */
  @ApiProperty({ enum: RETURN_REASONS })
  reason: string;

  /** Returns received that day with an item returned for this reason. */
  @IntegerProperty({ minimum: 1 })
  returns: number;

  /** Units received back for this reason, restocked or not. */
  @IntegerProperty({ minimum: 1 })
  units: number;
}

export class ReturnsReportDto {
  /** One row per day and reason with received returns: oldest day first, then by reason. */
  rows: ReturnRowDto[];
}

export class ReceiptRowDto extends FacilityRowDto {
  /** The day of the receipts. @example "2026-03-01" */
  @ApiProperty({ format: 'date' })
  date: string;

  /** Receipts the facility took in that day against purchase orders. */
  @IntegerProperty({ minimum: 1 })
  receipts: number;

  /** Purchase orders received against (one received twice that day counts once). */
  @IntegerProperty({ minimum: 1 })
  purchaseOrders: number;

  /** Receipt lines: the products of each receipt. */
  @IntegerProperty({ minimum: 1 })
  lines: number;

  /** Units received. */
  @IntegerProperty({ minimum: 1 })
  units: number;
}

export class ReceiptsReportDto {
  /** One row per day and facility with receipts: oldest day first, then by facility code. */
  rows: ReceiptRowDto[];
}

export class PurchaseOrderLeadTimeRowDto extends FacilityRowDto {
  /** Receipts in the range, each measured once: its day (in WAREHOUSE_TZ) minus its purchase order's expected date. */
  @IntegerProperty({ minimum: 1 })
  receipts: number;

  /** Mean lead days, to 2 decimals; negative when received before the expected date. @example 1.5 */
  meanLeadDays: number;

  /** Median lead days (interpolated), to 2 decimals. @example 1 */
  p50LeadDays: number;

  /** 90th percentile of the lead days (interpolated), to 2 decimals. @example 4.2 */
  p90LeadDays: number;

  /** The share of the receipts received on or before the expected date, to 4 decimals. @example 0.75 */
  @ApiProperty({ minimum: 0, maximum: 1 })
  onTimeShare: number;
}

export class PurchaseOrderLeadTimesReportDto {
  /** One row per facility that received against purchase orders in the range, by facility code. */
  rows: PurchaseOrderLeadTimeRowDto[];
}

export class PreorderWaitingRowDto {
  @UuidProperty()
  productId: string;

  sku: string;

  name: string;

  /** Order lines waiting (BACKORDERED) with a promise against a purchase order. */
  @IntegerProperty({ minimum: 1 })
  lines: number;

  /** Their units. */
  @IntegerProperty({ minimum: 1 })
  units: number;

  /** Days from the oldest of their orders' creation to `asOf`, to 2 decimals. @example 12.5 */
  @ApiProperty({ minimum: 0 })
  oldestAgeDays: number;

  /** Mean days from their orders' creation to `asOf`, to 2 decimals. @example 4.25 */
  @ApiProperty({ minimum: 0 })
  meanAgeDays: number;

  /** The earliest date promised to them. @example "2026-03-10" */
  @ApiProperty({ format: 'date' })
  earliestPromiseDate: string;

  /** The latest date promised to them. @example "2026-03-24" */
  @ApiProperty({ format: 'date' })
  latestPromiseDate: string;
}

export class PreordersWaitingReportDto {
  /** The finish of the last successful ETL run: the items are those waiting then, aged to it. Null before any run. */
  asOf: Date | null;

  /** One row per product with pre-orders waiting, the longest-waiting first (then by SKU). */
  rows: PreorderWaitingRowDto[];
}
