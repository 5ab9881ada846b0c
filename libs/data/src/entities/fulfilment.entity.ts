import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const PICKLIST_STATUSES = ['OPEN', 'COMPLETED'] as const;
export type PicklistStatus = (typeof PICKLIST_STATUSES)[number];

/** PACKED until it ships; UNPACKED when its items went back to picking (kept on record). */
export const SHIPMENT_STATUSES = ['PACKED', 'SHIPPED', 'UNPACKED'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** The items a picker takes at one facility. */
@Entity('picklist')
export class PicklistRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'facility_id' }) facilityId: string;
  @Column('text') status: PicklistStatus;
  /** The API key that asked for it. */
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
}

/** An item on a picklist, in picking order; `open` while the picklist is (one open entry per item at most). */
@Entity('picklist_item')
export class PicklistItemRow {
  @PrimaryColumn('uuid', { name: 'picklist_id' }) picklistId: string;
  @PrimaryColumn('uuid', { name: 'order_item_id' }) orderItemId: string;
  @Column('int') position: number;
  @Column('boolean') open: boolean;
}

/** Items of one order packed at one facility, shipped with a carrier and a tracking number. */
@Entity('shipment')
export class ShipmentRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'facility_id' }) facilityId: string;
  @Column('text') status: ShipmentStatus;
  @Column('text', { nullable: true }) carrier: string | null;
  @Column('text', { name: 'tracking_number', nullable: true }) trackingNumber: string | null;
  /** The carrier's service level. */
  @Column('text', { nullable: true }) service: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'shipped_at', nullable: true }) shippedAt: Date | null;
}

@Entity('shipment_item')
export class ShipmentItemRow {
  @PrimaryColumn('uuid', { name: 'shipment_id' }) shipmentId: string;
  @PrimaryColumn('uuid', { name: 'order_item_id' }) orderItemId: string;
}

/** A package of a shipment; every measure is optional. */
@Entity('shipment_package')
export class ShipmentPackageRow {
  @PrimaryColumn('uuid', { name: 'shipment_id' }) shipmentId: string;
  @PrimaryColumn('int', { name: 'package_number' }) packageNumber: number;
  @Column('int', { name: 'weight_grams', nullable: true }) weightGrams: number | null;
  @Column('int', { name: 'length_cm', nullable: true }) lengthCm: number | null;
  @Column('int', { name: 'width_cm', nullable: true }) widthCm: number | null;
  @Column('int', { name: 'height_cm', nullable: true }) heightCm: number | null;
}
