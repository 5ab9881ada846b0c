import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type FacilityType = 'WAREHOUSE' | 'STORE';

const coordinate = { from: (value: string) => Number(value), to: (value: number) => value };

@Entity('facility')
export class Facility {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) code: string;
  @Column('text') name: string;
  @Column('text') type: FacilityType;
  @Column('numeric', { precision: 9, scale: 6, transformer: coordinate }) latitude: number;
  @Column('numeric', { precision: 9, scale: 6, transformer: coordinate }) longitude: number;
  @Column('boolean', { name: 'can_ship' }) canShip: boolean;
  @Column('boolean', { name: 'can_pickup' }) canPickup: boolean;
  /** False: never a brokering candidate. */
  @Column('boolean', { name: 'allow_brokering' }) allowBrokering: boolean;
  /** The most orders brokering allocates here per day (in BROKERING_TZ): null unlimited, 0 none. */
  @Column('int', { name: 'maximum_orders_per_day', nullable: true }) maximumOrdersPerDay: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
