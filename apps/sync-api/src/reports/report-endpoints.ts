import { Get, Injectable, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CachedResponse } from '@app/cache';
import { ReportsService } from '@app/warehouse';
import { ApiErrors } from '../api/api-surface.decorators';
import { cachedReport } from './cached-report';
import { DailySalesQueryDto, PreordersWaitingQueryDto, ReportRangeQueryDto, TopProductsQueryDto } from './report-query.dto';
import {
  AllocationsReportDto,
  ApprovalTimesReportDto,
  AutoCancellationsReportDto,
  DailySalesReportDto,
  FacilityThroughputReportDto,
  HoldsReportDto,
  PickupsNotCollectedReportDto,
  PreordersWaitingReportDto,
  PurchaseOrderLeadTimesReportDto,
  ReceiptsReportDto,
  ReturnsReportDto,
  RejectionsReportDto,
  ShipmentsReportDto,
  ShipmentTimesReportDto,
  TopProductsReportDto,
} from './report-response.dto';

/**
 * The report routes, served twice: under /api/v1/reports with an API key, and under
 * /reports/data for the dashboard without one. Each subclass adds its path and access rules; the
 * handlers, validation and cache entries are the same.
 */
// @Injectable() emits the constructor's parameter types, which the subclasses inherit for injection.
@Injectable()
export abstract class ReportEndpoints {
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

  @Get('allocations')
  @CachedResponse(cachedReport('allocations'))
  @ApiOperation({ summary: 'Order lines allocated per day, facility and routing rule (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: AllocationsReportDto })
  @ApiErrors(400)
  async allocations(@Query() query: ReportRangeQueryDto): Promise<AllocationsReportDto> {
    return { rows: await this.reports.allocations(query) };
  }

  @Get('rejections')
  @CachedResponse(cachedReport('rejections'))
  @ApiOperation({ summary: 'Order lines rejected per facility and reason (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: RejectionsReportDto })
  @ApiErrors(400)
  async rejections(@Query() query: ReportRangeQueryDto): Promise<RejectionsReportDto> {
    return { rows: await this.reports.rejections(query) };
  }

  @Get('holds')
  @CachedResponse(cachedReport('holds'))
  @ApiOperation({ summary: 'Orders held per day and reason, by approval rules and by customer service (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: HoldsReportDto })
  @ApiErrors(400)
  async holds(@Query() query: ReportRangeQueryDto): Promise<HoldsReportDto> {
    return { rows: await this.reports.holds(query) };
  }

  @Get('approval-times')
  @CachedResponse(cachedReport('approval-times'))
  @ApiOperation({ summary: 'Orders approved per day, and the minutes from their creation to approval (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: ApprovalTimesReportDto })
  @ApiErrors(400)
  async approvalTimes(@Query() query: ReportRangeQueryDto): Promise<ApprovalTimesReportDto> {
    return { rows: await this.reports.approvalTimes(query) };
  }

  @Get('auto-cancellations')
  @CachedResponse(cachedReport('auto-cancellations'))
  @ApiOperation({ summary: 'Order lines and units auto-cancelled per day (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: AutoCancellationsReportDto })
  @ApiErrors(400)
  async autoCancellations(@Query() query: ReportRangeQueryDto): Promise<AutoCancellationsReportDto> {
    return { rows: await this.reports.autoCancellations(query) };
  }

  @Get('shipments')
  @CachedResponse(cachedReport('shipments'))
  @ApiOperation({ summary: 'Shipments, orders, order lines and units shipped per day and facility (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: ShipmentsReportDto })
  @ApiErrors(400)
  async shipments(@Query() query: ReportRangeQueryDto): Promise<ShipmentsReportDto> {
    return { rows: await this.reports.shipments(query) };
  }

  @Get('shipment-times')
  @CachedResponse(cachedReport('shipment-times'))
  @ApiOperation({ summary: 'Median and 90th percentile minutes from allocation to shipment per facility (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: ShipmentTimesReportDto })
  @ApiErrors(400)
  async shipmentTimes(@Query() query: ReportRangeQueryDto): Promise<ShipmentTimesReportDto> {
    return { rows: await this.reports.shipmentTimes(query) };
  }

  @Get('pickups-not-collected')
  @CachedResponse(cachedReport('pickups-not-collected'))
  @ApiOperation({ summary: 'Pickup orders cancelled because nobody collected them, per day and store (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: PickupsNotCollectedReportDto })
  @ApiErrors(400)
  async pickupsNotCollected(@Query() query: ReportRangeQueryDto): Promise<PickupsNotCollectedReportDto> {
    return { rows: await this.reports.pickupsNotCollected(query) };
  }

  @Get('returns')
  @CachedResponse(cachedReport('returns'))
  @ApiOperation({ summary: 'Returns and units received per day and reason (as of the last warehouse ETL run)' })
  @ApiOkResponse({ type: ReturnsReportDto })
  @ApiErrors(400)
  async returns(@Query() query: ReportRangeQueryDto): Promise<ReturnsReportDto> {
    return { rows: await this.reports.returns(query) };
  }

  @Get('receipts')
  @CachedResponse(cachedReport('receipts'))
  @ApiOperation({
    summary: 'Purchase order receipts, purchase orders, lines and units received per day and facility (as of the last warehouse ETL run)',
  })
  @ApiOkResponse({ type: ReceiptsReportDto })
  @ApiErrors(400)
  async receipts(@Query() query: ReportRangeQueryDto): Promise<ReceiptsReportDto> {
    return { rows: await this.reports.receipts(query) };
  }

  @Get('purchase-order-lead-time')
  @CachedResponse(cachedReport('purchase-order-lead-time'))
  @ApiOperation({
    summary:
      'Lead days of purchase order receipts against the expected date per facility: mean, median, 90th percentile and share on time (as of the last warehouse ETL run)',
  })
  @ApiOkResponse({ type: PurchaseOrderLeadTimesReportDto })
  @ApiErrors(400)
  async purchaseOrderLeadTime(@Query() query: ReportRangeQueryDto): Promise<PurchaseOrderLeadTimesReportDto> {
    return { rows: await this.reports.purchaseOrderLeadTimes(query) };
  }

  @Get('preorders-waiting')
  @CachedResponse(cachedReport('preorders-waiting'))
  @ApiOperation({ summary: 'Pre-orders waiting with a promise per product, with their age, as of the last successful warehouse ETL run (`asOf`)' })
  @ApiOkResponse({ type: PreordersWaitingReportDto })
  @ApiErrors(400)
  async preordersWaiting(@Query() query: PreordersWaitingQueryDto): Promise<PreordersWaitingReportDto> {
    return this.reports.preordersWaiting(query.limit);
  }
}
