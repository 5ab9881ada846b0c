import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedResponse, CachedResponseOptions } from '@app/cache';
import { ReportsService, WAREHOUSE_CACHE_TAG } from '@app/warehouse';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { DailySalesQueryDto, ReportRangeQueryDto, TopProductsQueryDto } from './report-query.dto';
import { DailySalesReportDto, FacilityThroughputReportDto, TopProductsReportDto } from './report-response.dto';

/** A report keyed by its query (in a fixed order) and dropped by every successful ETL run. */
function cachedReport(name: string): CachedResponseOptions {
  return {
    key: (_params, query) =>
      `report:${name}:${JSON.stringify(
        Object.keys(query)
          .sort()
          .map((field) => [field, query[field]]),
      )}`,
    tags: () => [WAREHOUSE_CACHE_TAG],
    ttlSeconds: 300,
  };
}

@ApiTags('reports')
@PublicApi()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('sales/daily')
  @CachedResponse(cachedReport('sales-daily'))
  @ApiOperation({ summary: 'Orders, units and revenue per day (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: DailySalesReportDto })
  @ApiErrors(400)
  async dailySales(@Query() query: DailySalesQueryDto): Promise<DailySalesReportDto> {
    return { rows: await this.reports.dailySales(query, query.facilityId) };
  }

  @Get('products/top')
  @CachedResponse(cachedReport('products-top'))
  @ApiOperation({ summary: 'Best-selling products by units (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: TopProductsReportDto })
  @ApiErrors(400)
  async topProducts(@Query() query: TopProductsQueryDto): Promise<TopProductsReportDto> {
    return { rows: await this.reports.topProducts(query, query.limit) };
  }

  @Get('facilities')
  @CachedResponse(cachedReport('facilities'))
  @ApiOperation({ summary: 'Order lines allocated and shipped per facility (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: FacilityThroughputReportDto })
  @ApiErrors(400)
  async facilities(@Query() query: ReportRangeQueryDto): Promise<FacilityThroughputReportDto> {
    return { rows: await this.reports.facilityThroughput(query) };
  }
}
