import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What can happen to an order or one of its items, as its history names it. */
export const ORDER_HISTORY_TYPES = [
  'CREATED',
  'APPROVED',
  'HELD',
  'RELEASED',
  'ALLOCATED',
  'QUEUED',
  'REJECTED',
  'AUTO_CANCELLED',
  'CANCELLED',
  'PICKING',
  'PACKED',
  'UNPACKED',
  'SHIPPED',
  'READY_FOR_PICKUP',
  'HANDED_OVER',
  'RETURN_RECEIVED',
  'EDITED',
  'PROMISED',
] as const;
export type OrderHistoryType = (typeof ORDER_HISTORY_TYPES)[number];

@Entity('order_history')
export class OrderHistoryEntry {
  /** Increasing with every entry (a 64-bit integer, read as a string). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'item_id', nullable: true }) itemId: string | null;
  @Column('text') type: OrderHistoryType;
  @Column('uuid', { name: 'facility_id', nullable: true }) facilityId: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('text', { nullable: true }) note: string | null;
  /** On allocations: the routing group, routing and rule that made it. */
  @Column('uuid', { name: 'routing_group_id', nullable: true }) routingGroupId: string | null;
  @Column('uuid', { name: 'routing_id', nullable: true }) routingId: string | null;
  @Column('uuid', { name: 'routing_rule_id', nullable: true }) routingRuleId: string | null;
  /** On RETURN_RECEIVED entries: the return received. */
  @Column('uuid', { name: 'return_id', nullable: true }) returnId: string | null;
  /** On PROMISED entries: the purchase order the item is promised against (null: the promise ended). */
  @Column('uuid', { name: 'purchase_order_id', nullable: true }) purchaseOrderId: string | null;
  @Column('timestamptz') at: Date;
}
