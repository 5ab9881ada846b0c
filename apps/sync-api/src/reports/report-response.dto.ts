import { ApiProperty } from '@nestjs/swagger';
import { HOLD_REASONS, REJECTION_REASONS } from '@app/data';
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

export class FacilityThroughputRowDto {
  @UuidProperty()
  facilityId: string;

  /** @example "WH-EAST" */
  code: string;

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

export class RejectionRowDto {
  @UuidProperty()
  facilityId: string;

  /** @example "WH-EAST" */
  code: string;

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
