import { UuidProperty } from '../../api/schema-properties';

export class RoutingRunRequestedDto {
  @UuidProperty()
  id: string;
}

export class QueueSummaryDto {
  /** BROKERING, BACKORDER, UNFILLABLE, REJECTED or a merchant's queue. */
  queue: string;
  items: number;
  orders: number;
}

export class QueueSummaryListDto {
  items: QueueSummaryDto[];
}
