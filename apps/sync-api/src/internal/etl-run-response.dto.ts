import { ApiProperty } from '@nestjs/swagger';
import { ErrorBodyDto } from '../api/error-body.dto';
import { IntegerProperty, UuidProperty } from '../api/schema-properties';

export class EtlRowsPerTableDto {
  @IntegerProperty({ minimum: 0 })
  dim_date: number;

  @IntegerProperty({ minimum: 0 })
  dim_product: number;

  @IntegerProperty({ minimum: 0 })
  dim_facility: number;

  @IntegerProperty({ minimum: 0 })
  dim_routing_rule: number;

  @IntegerProperty({ minimum: 0 })
  fact_order_item: number;

  @IntegerProperty({ minimum: 0 })
  fact_inventory_daily: number;

  @IntegerProperty({ minimum: 0 })
  fact_allocation: number;

  @IntegerProperty({ minimum: 0 })
  fact_rejection: number;

  @IntegerProperty({ minimum: 0 })
  fact_hold: number;

  @IntegerProperty({ minimum: 0 })
  fact_approval: number;

  @IntegerProperty({ minimum: 0 })
  fact_auto_cancel: number;

  @IntegerProperty({ minimum: 0 })
  fact_shipment: number;

  @IntegerProperty({ minimum: 0 })
  fact_not_collected: number;

  @IntegerProperty({ minimum: 0 })
  fact_return: number;

  @IntegerProperty({ minimum: 0 })
  fact_receipt: number;
}

export class EtlRunDto {
  @UuidProperty()
  id: string;

  @ApiProperty({ enum: ['manual', 'schedule'] })
  trigger: 'manual' | 'schedule';

  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] })
  status: 'queued' | 'running' | 'succeeded' | 'failed';

  /** Orders placed, and the history (allocations, rejections, holds, approvals, auto-cancels, shipments, pickups not collected, received returns) written, and the purchase order receipts received, from this instant on were loaded again; null for an incremental run (everything changed since the last run). */
  windowFrom: Date | null;

  /** End of the window (excluded). */
  windowTo: Date | null;

  /** Where the run read: `replica`, or `primary` when no replica is configured; null until the run has read. @example "replica" */
  source: string | null;

  /** Rows inserted or changed in the warehouse (a re-run of unchanged data loads none). */
  @IntegerProperty({ minimum: 0 })
  rowsLoaded: number;

  /** Rows inserted or changed per table (all zero until the run has loaded). */
  rowsPerTable: EtlRowsPerTableDto;

  /** The latest source change loaded so far; the next incremental run starts from it. */
  watermark: Date | null;

  /** Why the run failed. */
  error: string | null;

  createdAt: Date;

  startedAt: Date | null;

  finishedAt: Date | null;
}

export class EtlRunListDto {
  items: EtlRunDto[];
}

/** 409: a run is queued or running already. */
export class EtlRunConflictDto extends ErrorBodyDto {
  /** The active run. */
  @UuidProperty()
  id: string;
}
