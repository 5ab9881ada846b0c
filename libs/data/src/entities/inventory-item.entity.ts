import { Column, Entity, PrimaryColumn } from 'typeorm';

/** On hand and reserved per product x facility; ATP is a generated column, never written. */
@Entity('inventory_item')
export class InventoryItem {
  @PrimaryColumn('uuid', { name: 'facility_id' }) facilityId: string;
  @PrimaryColumn('uuid', { name: 'product_id' }) productId: string;
  @Column('int', { name: 'quantity_on_hand' }) quantityOnHand: number;
  @Column('int', { name: 'quantity_reserved' }) quantityReserved: number;
  /** Nullable to PostgreSQL (a generated column), never null in fact: both operands are NOT NULL. */
  @Column({
    type: 'int',
    name: 'available_to_promise',
    nullable: true,
    generatedType: 'STORED',
    asExpression: 'quantity_on_hand - quantity_reserved',
  })
  availableToPromise: number;
  /** Brokering safety stock: what brokering leaves at the facility. */
  @Column('int', { name: 'minimum_stock' }) minimumStock: number;
  /** What brokering may allocate: ATP above the minimum stock, never negative (generated). */
  @Column({
    type: 'int',
    name: 'brokerable',
    nullable: true,
    generatedType: 'STORED',
    asExpression: 'GREATEST(0, quantity_on_hand - quantity_reserved - minimum_stock)',
  })
  brokerable: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
