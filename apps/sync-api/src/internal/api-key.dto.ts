import { IsString, Length, ValidateIf } from 'class-validator';

export class CreateApiKeyDto {
  /** Who the key is for. @example "shopify-2026" */
  @IsString()
  @Length(1, 200)
  name: string;

  /** The sales channel the key belongs to (external order ids are unique per channel); defaults to `name`. @example "storefront" */
  @ValidateIf((body: CreateApiKeyDto) => body.salesChannel !== undefined)
  @IsString()
  @Length(1, 100)
  salesChannel?: string;
}
