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

/** One facility's stock of the product: an inventory row without the product id and the time. */
export class FacilityStockDto extends OmitType(InventoryRowDto, ['productId', 'updatedAt'] as const) {}

export class ProductAvailabilityDto {
  @UuidProperty()
  productId: string;

  /** The sum over all facilities. */
  @IntegerProperty()
  availableToPromise: number;

  /** The sum over all facilities of what brokering may allocate (ATP above each row's minimum stock). */
  @IntegerProperty()
  brokerable: number;

  facilities: FacilityStockDto[];
}
