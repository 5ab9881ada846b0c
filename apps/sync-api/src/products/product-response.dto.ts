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

export class FacilityStockDto {
  @UuidProperty()
  facilityId: string;

  @IntegerProperty()
  quantityOnHand: number;

  @IntegerProperty()
  quantityReserved: number;

  /** On hand minus reserved. */
  @IntegerProperty()
  availableToPromise: number;
}

export class ProductAvailabilityDto {
  @UuidProperty()
  productId: string;

  /** The sum over all facilities. */
  @IntegerProperty()
  availableToPromise: number;

  facilities: FacilityStockDto[];
}
