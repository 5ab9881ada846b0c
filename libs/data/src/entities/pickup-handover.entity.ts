import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who collected a pickup order's items at its store, and the proof the store took. */
@Entity('pickup_handover')
export class PickupHandover {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'facility_id' }) facilityId: string;
  @Column('uuid', { name: 'item_ids', array: true }) itemIds: string[];
  @Column('text', { name: 'proof_name' }) proofName: string;
  @Column('text', { name: 'proof_id_type', nullable: true }) proofIdType: string | null;
  @Column('text', { name: 'proof_id_number', nullable: true }) proofIdNumber: string | null;
  @Column('text') actor: string;
  @Column('timestamptz', { name: 'handed_over_at' }) handedOverAt: Date;
}
