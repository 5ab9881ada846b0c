import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RejectionReason } from '../routing/rejection-effect';

/** A facility that rejected an item: routing never chooses it for that item again. */
@Entity('order_item_rejection')
export class OrderItemRejection {
  @PrimaryColumn('uuid', { name: 'item_id' }) itemId: string;
  @PrimaryColumn('uuid', { name: 'facility_id' }) facilityId: string;
  @Column('text') reason: RejectionReason;
  @Column('text', { nullable: true }) note: string | null;
  @Column('timestamptz', { name: 'rejected_at' }) rejectedAt: Date;
}
