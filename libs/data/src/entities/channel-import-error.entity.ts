import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const IMPORT_TOPICS = ['orders/create', 'orders/cancelled'] as const;
export type ImportTopic = (typeof IMPORT_TOPICS)[number];

/** A payload a channel sent that did not become (or cancel) an order, with the reason. */
@Entity('channel_import_error')
export class ChannelImportError {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('text', { name: 'sales_channel' }) salesChannel: string;
  @Column('text') topic: ImportTopic;
  /** The channel's order id, when the payload named one. */
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text') error: string;
  @Column('timestamptz') at: Date;
}
