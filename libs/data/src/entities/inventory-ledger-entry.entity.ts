import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row per inventory change, like OFBiz's InventoryItemDetail: what changed, why, by whom. */
@Entity('inventory_ledger')
export class InventoryLedgerEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'facility_id' }) facilityId: string;
  @Column('uuid', { name: 'product_id' }) productId: string;
  @Column('int', { name: 'on_hand_delta' }) onHandDelta: number;
  @Column('int', { name: 'reserved_delta' }) reservedDelta: number;
  @Column('text') reason: string;
  @Column('text') actor: string;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('uuid', { name: 'purchase_order_id', nullable: true }) purchaseOrderId: string | null;
  @Column('uuid', { name: 'transfer_order_id', nullable: true }) transferOrderId: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
