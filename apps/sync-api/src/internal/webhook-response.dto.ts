import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENTS, type WebhookEvent } from '@app/data';
import { PageDto } from '../api/page.dto';
import { IntegerProperty, UuidProperty } from '../api/schema-properties';

export class WebhookDto {
  @UuidProperty()
  id: string;

  /** @example "https://partner.example.com/oms-events" */
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  events: WebhookEvent[];

  createdAt: Date;
}

export class WebhookPageDto extends PageDto(WebhookDto) {}

export class WebhookAttemptDto {
  /** The event's id: the `id` of the body, the same on every attempt. @example "1042" */
  eventId: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS })
  type: WebhookEvent;

  @UuidProperty({ type: String, nullable: true, description: 'The order the event is about; null for availability.changed' })
  orderId: string | null;

  /** 1 for the first attempt of the delivery. */
  @IntegerProperty({ minimum: 1 })
  attempt: number;

  @IntegerProperty({ nullable: true, description: "The endpoint's HTTP status; null when it did not answer" })
  responseStatus: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why there was no answer (e.g. timeout, ECONNREFUSED); null when it answered' })
  error: string | null;

  /** When the attempt finished. */
  at: Date;
}

export class WebhookAttemptListDto {
  @ApiProperty({ type: [WebhookAttemptDto] })
  items: WebhookAttemptDto[];
}
