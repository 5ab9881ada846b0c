import { OmitType } from '@nestjs/swagger';
import { InventoryRowDto } from '../inventory/inventory-response.dto';
import { IntegerProperty, MoneyProperty, UuidProperty } from '../api/schema-properties';
import { PageDto } from '../api/page.dto';

export class ProductDto {
  @UuidProperty()
  id: string;

  /** @example "TSHIRT-BLK-M" */
  sku: string;

  /** @example "T-shirt, black, M" */
  name: string;

  @MoneyProperty()
  price: string;

  /** ISO 4217 code. @example "USD" */
  currency: string;

  createdAt: Date;

  updatedAt: Date;
}

export class ProductPageDto extends PageDto(ProductDto) {}

/**
 * One facility's stock of the product: an inventory row without the product id and the time, with
 * what is on its way there. A facility with units on their way and no stock yet shows zeros.
 */
export class FacilityStockDto extends OmitType(InventoryRowDto, ['productId', 'updatedAt'] as const) {
  /** Units of shipped transfer orders toward the facility, not received yet. */
  @IntegerProperty()
  inTransit: number;

  /** Units of open purchase orders due at the facility, not received yet. */
  @IntegerProperty()
  onOrder: number;
}

export class ProductAvailabilityDto {
  @UuidProperty()
  productId: string;

  /** The sum over all facilities. */
  @IntegerProperty()
  availableToPromise: number;

  /** The sum over all facilities of what brokering may allocate (ATP above each row's minimum stock). */
  @IntegerProperty()
  brokerable: number;

  /** The sum over all facilities of units in transit toward them (shipped transfer orders). */
  @IntegerProperty()
  inTransit: number;

  /** The sum over all facilities of units on order (open purchase orders, not received yet). */
  @IntegerProperty()
  onOrder: number;

  facilities: FacilityStockDto[];
}
