import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { OrderStatus } from '../lifecycle/statuses';
import type { HoldReason } from '../approval/hold-reasons';
import type { ShippingMethod } from '../orders/order-fields';
import { OrderItem } from './order-item.entity';

export interface ShippingAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
  /** With longitude, or neither: an address without coordinates is as near to every facility as any other. */
  latitude?: number;
  longitude?: number;
}

@Entity('sales_order')
export class SalesOrder {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text') status: OrderStatus;
  @Column('text', { name: 'customer_email' }) customerEmail: string;
  @Column('text', { name: 'customer_name', nullable: true }) customerName: string | null;
  @Column('jsonb', { name: 'shipping_address' }) shippingAddress: ShippingAddress;
  @Column('char', { length: 3 }) currency: string;
  @Column('numeric', { precision: 16, scale: 2 }) total: string;
  @Column('uuid', { name: 'api_key_id', nullable: true }) apiKeyId: string | null;
  @Column('text', { name: 'sales_channel' }) salesChannel: string;
  @Column('text', { name: 'shipping_method' }) shippingMethod: ShippingMethod;
  /** Where the customer collects a PICKUP order; null for every other shipping method. */
  @Column('uuid', { name: 'pickup_facility_id', nullable: true }) pickupFacilityId: string | null;
  /** 0..9, higher is more urgent. */
  @Column('int') priority: number;
  /** YYYY-MM-DD. */
  @Column('date', { name: 'promise_date', nullable: true }) promiseDate: string | null;
  @Column('text', { array: true }) tags: string[];
  /** Why the order is held; null when it is not. */
  @Column('text', { name: 'hold_reason', nullable: true }) holdReason: HoldReason | null;
  @Column('text', { name: 'hold_note', nullable: true }) holdNote: string | null;
  @Column('timestamptz', { name: 'held_since', nullable: true }) heldSince: Date | null;
  @OneToMany(() => OrderItem, (item) => item.order) items: OrderItem[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
