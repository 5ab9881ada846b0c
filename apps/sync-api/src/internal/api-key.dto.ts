import { API_PERMISSIONS, type ApiPermission } from '@app/data';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsString, IsUUID, Length, ValidateIf } from 'class-validator';

const isSet = (property: keyof CreateApiKeyDto) => (body: CreateApiKeyDto) => body[property] !== undefined;

export class CreateApiKeyDto {
  /** Who the key is for. @example "shopify-connector" */
  @IsString()
  @Length(1, 200)
  name: string;

  /** The sales channel of the orders the key creates (external order ids are unique per channel); defaults to the first of `channels`, else to `name`. @example "SHOPIFY" */
  @ValidateIf(isSet('salesChannel'))
  @IsString()
  @Length(1, 100)
  salesChannel?: string;

  /** What the key may do; all of them when left out (also permissions added later). An empty list leaves reading the catalog and stock. */
  @ApiProperty({ enum: API_PERMISSIONS, isArray: true, required: false, example: ['orders:read', 'orders:write'] })
  @ValidateIf(isSet('permissions'))
  @IsIn(API_PERMISSIONS, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(API_PERMISSIONS.length)
  permissions?: ApiPermission[];

  /** The sales channels (codes) whose orders the key sees and acts on; all when left out. @example ["SHOPIFY"] */
  @ValidateIf(isSet('channels'))
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  channels?: string[];

  /** The facilities (ids) whose stock the key may change and whose orders it may fulfil; all when left out. */
  @ApiProperty({ type: String, format: 'uuid', isArray: true, required: false })
  @ValidateIf(isSet('facilities'))
  @IsUUID('all', { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
  facilities?: string[];
}
