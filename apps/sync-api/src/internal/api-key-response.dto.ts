import { API_PERMISSIONS, type ApiPermission } from '@app/data';
import { ApiProperty } from '@nestjs/swagger';
import { UuidProperty } from '../api/schema-properties';

export class ApiKeyDto {
  @UuidProperty()
  id: string;

  /** @example "shopify-connector" */
  name: string;

  /** The sales channel of the orders the key creates; external order ids are unique within it. @example "SHOPIFY" */
  salesChannel: string;

  @ApiProperty({ enum: API_PERMISSIONS, isArray: true, nullable: true, description: 'What the key may do; null: everything' })
  permissions: readonly ApiPermission[] | null;

  @ApiProperty({ type: String, isArray: true, nullable: true, description: 'The sales channels whose orders the key reaches; null: all' })
  channels: readonly string[] | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    isArray: true,
    nullable: true,
    description: 'The facilities the key may change and fulfil from; null: all',
  })
  facilities: readonly string[] | null;

  createdAt: Date;

  @ApiProperty({ type: Date, nullable: true })
  revokedAt: Date | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** The key itself, shown in this response only (it is stored hashed). Send as `Authorization: Bearer <key>`. */
  key: string;
}
