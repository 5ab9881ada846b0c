import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PurchaseOrderStatus, TransferOrderStatus } from '../supply/supply-statuses';

/** Units ordered from a vendor, due at a facility on an expected date. */
@Entity('purchase_order')
export class PurchaseOrderRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('uuid', { name: 'facility_id' }) facilityId: string;
  @Column('date', { name: 'expected_date' }) expectedDate: string;
  @Column('text') status: PurchaseOrderStatus;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
}

/** One product of a purchase order: how many were ordered and how many have arrived. */
@Entity('purchase_order_item')
export class PurchaseOrderItemRow {
  @PrimaryColumn('uuid', { name: 'purchase_order_id' }) purchaseOrderId: string;
  @PrimaryColumn('int', { name: 'line_number' }) lineNumber: number;
  @Column('uuid', { name: 'product_id' }) productId: string;
  @Column('int') quantity: number;
  @Column('int', { name: 'received_quantity' }) receivedQuantity: number;
}

/** One delivery received against a purchase order. */
@Entity('purchase_order_receipt')
export class PurchaseOrderReceiptRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'purchase_order_id' }) purchaseOrderId: string;
  @Column('uuid', { name: 'facility_id' }) facilityId: string;
  /** The delivery's reference (a delivery note, an advance ship notice): the same one again is the same receipt. */
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text') actor: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
}

@Entity('purchase_order_receipt_item')
export class PurchaseOrderReceiptItemRow {
  @PrimaryColumn('uuid', { name: 'receipt_id' }) receiptId: string;
  @PrimaryColumn('uuid', { name: 'product_id' }) productId: string;
  @Column('int') quantity: number;
}

/** Stock moved from one facility to another. */
@Entity('transfer_order')
export class TransferOrderRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'from_facility_id' }) fromFacilityId: string;
  @Column('uuid', { name: 'to_facility_id' }) toFacilityId: string;
  @Column('text') status: TransferOrderStatus;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'shipped_at', nullable: true }) shippedAt: Date | null;
  @Column('timestamptz', { name: 'received_at', nullable: true }) receivedAt: Date | null;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt: Date | null;
}

@Entity('transfer_order_item')
export class TransferOrderItemRow {
  @PrimaryColumn('uuid', { name: 'transfer_order_id' }) transferOrderId: string;
  @PrimaryColumn('uuid', { name: 'product_id' }) productId: string;
  @Column('int') quantity: number;
}
