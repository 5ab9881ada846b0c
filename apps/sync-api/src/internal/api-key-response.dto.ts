import { UuidProperty } from '../api/schema-properties';

export class CreatedApiKeyDto {
  @UuidProperty()
  id: string;

  /** @example "storefront" */
  name: string;

  /** The key itself, shown in this response only (it is stored hashed). Send as `Authorization: Bearer <key>`. */
  key: string;
}
