import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderDto } from '../orders/order-response.dto';

export const SHOPIFY_WEBHOOK_RESULTS = ['created', 'duplicate', 'cancelled', 'import_error'] as const;
export type ShopifyWebhookResult = (typeof SHOPIFY_WEBHOOK_RESULTS)[number];

/** What the OMS did with a webhook it verified; always 200, so that Shopify does not retry it. */
export class ShopifyWebhookResultDto {
  /** `duplicate`: a redelivery of an order already taken, which is the one returned. `import_error`: listed at /internal/channels/{code}/import-errors. */
  @ApiProperty({ enum: SHOPIFY_WEBHOOK_RESULTS })
  result: ShopifyWebhookResult;

  /** The order created, found again or cancelled. */
  @ApiPropertyOptional({ type: OrderDto })
  order?: OrderDto;

  /** Shopify's order id, as the OMS's externalId. @example "820982911946154508" */
  @ApiPropertyOptional({ type: String, nullable: true })
  externalId?: string | null;

  /** Why the payload could not be taken (with import_error). @example "unknown SKU TEE-XL" */
  error?: string;
}
