import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInt } from '../api/common.dto';
import { IsLocalDate } from '../reports/is-local-date.validator';

export class CreateEtlRunDto {
  /** First day of orders and of their history (allocations, rejections, holds, approvals, auto-cancels, shipments, pickups not collected, received returns) and of purchase order receipts to load again (YYYY-MM-DD in WAREHOUSE_TZ); with neither from nor to, the run is incremental. @example "2026-03-01" */
  @IsOptional()
  @IsLocalDate()
  from?: string;

  /** Last day to load again, included; defaults to today when only from is given. @example "2026-03-31" */
  @IsOptional()
  @IsLocalDate()
  to?: string;
}

export class ListEtlRunsQueryDto {
  /** How many runs, newest first, 1..200 (default 20). */
  @ApiPropertyOptional({ type: 'integer', default: 20 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 20;
}
