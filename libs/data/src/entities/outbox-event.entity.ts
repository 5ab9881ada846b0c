import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An event written in the same transaction as the change it announces; published_at is set by the relay. */
@Entity('outbox_event')
export class OutboxEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('text') topic: string;
  @Column('uuid', { name: 'aggregate_id' }) aggregateId: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
  /** The request (or job) that wrote the event, and its W3C traceparent while tracing is on: the jobs it causes carry both on. */
  @Column('text', { name: 'request_id', nullable: true }) requestId: string | null;
  @Column('text', { nullable: true }) traceparent: string | null;
}
