import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '@app/platform';
import { dateKeyOf } from '../etl/local-date';
import type {
  AllocationRow,
  ApprovalTimeRow,
  AutoCancellationRow,
  DailySalesRow,
  DateRange,
  FacilityThroughputRow,
  HoldRow,
  NotCollectedRow,
  PreordersWaiting,
  PurchaseOrderLeadTimeRow,
  ReceiptRow,
  ReturnRow,
  RejectionRow,
  ShipmentRow,
  ShipmentTimeRow,
  TopProductRow,
} from './report.view';
import { ReportsRepository } from './reports.repository';

function dateKeys(range: DateRange): [number, number] {
  if (range.from > range.to)
    throw new InvalidInputError('from must not be after to', [{ field: 'from', message: `from (${range.from}) must not be after to (${range.to})` }]);
  return [dateKeyOf(range.from), dateKeyOf(range.to)];
}

/**
 * Sales, top products, facility throughput, allocations, rejections, holds, approval times,
 * auto-cancellations, shipments, times from allocation to shipment, pickups not collected, returns,
 * purchase order receipts and their lead times over a range of days, and the pre-orders waiting
 * now, from the warehouse (as of the last ETL run).
 */
@Injectable()
export class ReportsService {
  constructor(private readonly reports: ReportsRepository) {}

  dailySales(range: DateRange, facilityId?: string): Promise<DailySalesRow[]> {
    return this.reports.dailySales(...dateKeys(range), facilityId);
  }

  topProducts(range: DateRange, limit: number): Promise<TopProductRow[]> {
    return this.reports.topProducts(...dateKeys(range), limit);
  }

  facilityThroughput(range: DateRange): Promise<FacilityThroughputRow[]> {
    return this.reports.facilityThroughput(...dateKeys(range));
  }

  allocations(range: DateRange): Promise<AllocationRow[]> {
    return this.reports.allocations(...dateKeys(range));
  }

  rejections(range: DateRange): Promise<RejectionRow[]> {
    return this.reports.rejections(...dateKeys(range));
  }

  holds(range: DateRange): Promise<HoldRow[]> {
    return this.reports.holds(...dateKeys(range));
  }

  approvalTimes(range: DateRange): Promise<ApprovalTimeRow[]> {
    return this.reports.approvalTimes(...dateKeys(range));
  }

  autoCancellations(range: DateRange): Promise<AutoCancellationRow[]> {
    return this.reports.autoCancellations(...dateKeys(range));
  }

  shipments(range: DateRange): Promise<ShipmentRow[]> {
    return this.reports.shipments(...dateKeys(range));
  }

  shipmentTimes(range: DateRange): Promise<ShipmentTimeRow[]> {
    return this.reports.shipmentTimes(...dateKeys(range));
  }

  pickupsNotCollected(range: DateRange): Promise<NotCollectedRow[]> {
    return this.reports.pickupsNotCollected(...dateKeys(range));
  }

  returns(range: DateRange): Promise<ReturnRow[]> {
    return this.reports.returns(...dateKeys(range));
  }

  receipts(range: DateRange): Promise<ReceiptRow[]> {
    return this.reports.receipts(...dateKeys(range));
  }

  purchaseOrderLeadTimes(range: DateRange): Promise<PurchaseOrderLeadTimeRow[]> {
    return this.reports.purchaseOrderLeadTimes(...dateKeys(range));
  }

  /** The `limit` products whose pre-orders have waited longest, as of the last successful ETL run. */
  preordersWaiting(limit: number): Promise<PreordersWaiting> {
    return this.reports.preordersWaiting(limit);
  }
}
