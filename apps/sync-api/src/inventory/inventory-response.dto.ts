import { PageDto } from '../api/page.dto';
import { IntegerProperty, UuidProperty } from '../api/schema-properties';

export class InventoryRowDto {
  @UuidProperty()
  facilityId: string;

  @UuidProperty()
  productId: string;

  @IntegerProperty()
  quantityOnHand: number;

  @IntegerProperty()
  quantityReserved: number;

  /** On hand minus reserved, never negative. */
  @IntegerProperty()
  availableToPromise: number;

  /** Brokering safety stock: brokering leaves this much at the facility. */
  @IntegerProperty()
  minimumStock: number;

  /** What brokering may allocate here: max(0, availableToPromise - minimumStock). */
  @IntegerProperty()
  brokerable: number;

  updatedAt: Date;
}

export class InventoryListDto {
  items: InventoryRowDto[];
}

export class LedgerEntryDto {
  /** Increasing with every change (a 64-bit integer, as a string). @example "42" */
  id: string;

  @IntegerProperty()
  onHandDelta: number;

  @IntegerProperty()
  reservedDelta: number;

  /** @example "cycle count" */
  reason: string;

  /** The API key id that made the change, or "system". */
  actor: string;

  /** The order whose reservation or shipment this is, if any. */
  @UuidProperty({ nullable: true })
  orderId: string | null;

  /** The purchase order a receipt was for, if any. */
  @UuidProperty({ nullable: true })
  purchaseOrderId: string | null;

  /** The transfer order that reserved, shipped or received the stock, if any. */
  @UuidProperty({ nullable: true })
  transferOrderId: string | null;

  createdAt: Date;
}

export class LedgerPageDto extends PageDto(LedgerEntryDto) {}
