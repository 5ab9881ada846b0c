import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { QueryInt } from '../api/common.dto';
import { IsLocalDate } from './is-local-date.validator';

export class ReportRangeQueryDto {
  /** First day (YYYY-MM-DD in WAREHOUSE_TZ). @example "2026-03-01" */
  @IsLocalDate()
  from: string;

  /** Last day, included. @example "2026-03-31" */
  @IsLocalDate()
  to: string;
}

export class DailySalesQueryDto extends ReportRangeQueryDto {
  /** Only the lines allocated to this facility. */
  @IsOptional()
  @IsUUID()
  facilityId?: string;
}

export class TopProductsQueryDto extends ReportRangeQueryDto {
  /** How many products, 1..100 (default 10). */
  @ApiPropertyOptional({ type: 'integer', default: 10 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 10;
}

/** No range: the pre-orders waiting as of the last ETL run. */
export class PreordersWaitingQueryDto extends PickType(TopProductsQueryDto, ['limit'] as const) {}
