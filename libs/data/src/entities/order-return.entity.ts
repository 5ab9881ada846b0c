import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ReturnReason, ReturnStatus } from '../returns/return-reasons';

/** Items of an order that come back to a facility. */
@Entity('order_return')
export class OrderReturn {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'facility_id' }) facilityId: string;
  @Column('text') status: ReturnStatus;
  /** Whether the received goods went back into stock; null until received. */
  @Column('boolean', { nullable: true }) restocked: boolean | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'received_at', nullable: true }) receivedAt: Date | null;
}

/** One item of a return: how many of its units come back, and why. */
@Entity('order_return_item')
export class OrderReturnItem {
  @PrimaryColumn('uuid', { name: 'return_id' }) returnId: string;
  @PrimaryColumn('uuid', { name: 'item_id' }) itemId: string;
  @Column('int') quantity: number;
  @Column('text') reason: ReturnReason;
}
