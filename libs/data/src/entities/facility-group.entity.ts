import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** What a group of facilities is for; routing rules and channels name groups. */
export const FACILITY_GROUP_TYPES = ['BROKERING', 'CHANNEL', 'PICKUP', 'OTHER'] as const;
export type FacilityGroupType = (typeof FACILITY_GROUP_TYPES)[number];

@Entity('facility_group')
export class FacilityGroup {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) code: string;
  @Column('text') name: string;
  @Column('text') type: FacilityGroupType;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A facility in a group, at its place in the group's order (lower first). */
@Entity('facility_group_member')
export class FacilityGroupMember {
  @PrimaryColumn('uuid', { name: 'group_id' }) groupId: string;
  @PrimaryColumn('uuid', { name: 'facility_id' }) facilityId: string;
  @Column('int') sequence: number;
}
