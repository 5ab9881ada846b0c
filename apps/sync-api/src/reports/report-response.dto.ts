import { ApiProperty } from '@nestjs/swagger';
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
