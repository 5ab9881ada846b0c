import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How many orders brokering has allocated to a facility on one day (the date in BROKERING_TZ). */
@Entity('facility_order_day')
export class FacilityOrderDay {
  @PrimaryColumn('uuid', { name: 'facility_id' }) facilityId: string;
  /** YYYY-MM-DD. */
  @PrimaryColumn('date') day: string;
  /** An order counts once per facility and day, when its first item is allocated there. */
  @Column('int', { name: 'orders_allocated' }) ordersAllocated: number;
}
