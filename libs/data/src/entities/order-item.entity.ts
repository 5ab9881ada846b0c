import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { OrderItemStatus } from '../lifecycle/statuses';
import type { SalesOrder } from './sales-order.entity';

@Entity('order_item')
export class OrderItem {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @ManyToOne('SalesOrder', 'items')
  @JoinColumn({ name: 'order_id' })
  order: SalesOrder;
  @Column('int', { name: 'line_number' }) lineNumber: number;
  @Column('uuid', { name: 'product_id' }) productId: string;
  @Column('text') sku: string;
  @Column('int') quantity: number;
  @Column('numeric', { name: 'unit_price', precision: 14, scale: 2 }) unitPrice: string;
  @Column('text') status: OrderItemStatus;
  @Column('uuid', { name: 'facility_id', nullable: true }) facilityId: string | null;
  /** Where an unallocated item waits (BROKERING, BACKORDER, UNFILLABLE, REJECTED or a merchant's queue); null once allocated. */
  @Column('text', { nullable: true }) queue: string | null;
  /** When a waiting item is cancelled unless allocated before. */
  @Column('timestamptz', { name: 'auto_cancel_at', nullable: true }) autoCancelAt: Date | null;
  /** While BACKORDERED: the expected date of the purchase order whose open quantity it is promised (first come, first promised). */
  @Column('date', { name: 'promise_date', nullable: true }) promiseDate: string | null;
  @Column('uuid', { name: 'promised_purchase_order_id', nullable: true }) promisedPurchaseOrderId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
