import { UuidProperty } from '../api/schema-properties';

export class CreatedApiKeyDto {
  @UuidProperty()
  id: string;

  /** @example "storefront" */
  name: string;

  /** The sales channel the key belongs to; external order ids are unique within it. @example "storefront" */
  salesChannel: string;

  /** The key itself, shown in this response only (it is stored hashed). Send as `Authorization: Bearer <key>`. */
  key: string;
}
