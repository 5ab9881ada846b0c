import { ApiProperty, PickType } from '@nestjs/swagger';
import { WEBHOOK_EVENTS, type WebhookEvent } from '@app/data';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, IsUrl, Length, MaxLength } from 'class-validator';
import { PageQueryDto } from '../api/common.dto';

export class CreateWebhookDto {
  /** Where deliveries are POSTed: an absolute http(s) URL. @example "https://partner.example.com/oms-events" */
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true })
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['order.created', 'order.shipped'], description: 'The events to send, at least one' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events: WebhookEvent[];

  /** The key of the `X-OMS-Signature` HMAC, 16 to 200 characters; write-only: never returned. */
  @ApiProperty({ writeOnly: true, minLength: 16, maxLength: 200 })
  @IsString()
  @Length(16, 200)
  secret: string;
}

export class WebhookDeliveriesQueryDto extends PickType(PageQueryDto, ['limit'] as const) {}
