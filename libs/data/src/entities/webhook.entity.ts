import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { WebhookDeliveryStatus, WebhookEvent } from '../webhooks/webhook-events';

/** A partner's URL that is sent the events it subscribed to, signed with its secret; deleted ones keep their log. */
@Entity('webhook_endpoint')
export class WebhookEndpointRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') url: string;
  @Column('text', { array: true }) events: WebhookEvent[];
  @Column('text') secret: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt: Date | null;
}

/** One outbox event to send to one endpoint, until it is delivered or given up. */
@Entity('webhook_delivery')
export class WebhookDeliveryRow {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'endpoint_id' }) endpointId: string;
  /** The outbox event's id: the `id` of the body, the same on every attempt. */
  @Column('bigint', { name: 'event_id' }) eventId: string;
  @Column('text') type: WebhookEvent;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('jsonb') data: Record<string, unknown>;
  @Column('timestamptz', { name: 'event_at' }) eventAt: Date;
  @Column('text') status: WebhookDeliveryStatus;
  @Column('int') attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  /** The lease of the dispatcher sending it; once it lapses, another sends it again. */
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil: Date | null;
  @Column('timestamptz', { name: 'first_attempt_at', nullable: true }) firstAttemptAt: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}

/** One POST of a delivery, as the delivery log shows it. */
@Entity('webhook_attempt')
export class WebhookAttemptRow {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('bigint', { name: 'delivery_id' }) deliveryId: string;
  @Column('uuid', { name: 'endpoint_id' }) endpointId: string;
  @Column('int') attempt: number;
  @Column('int', { name: 'response_status', nullable: true }) responseStatus: number | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('timestamptz') at: Date;
}
