import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** What a channel may sell of a product now, as its feed last said: written by availability_publish at the commit that changes it. */
@Entity('channel_availability')
export class ChannelAvailabilityRow {
  @PrimaryColumn('text', { name: 'channel_code' }) channelCode: string;
  @PrimaryColumn('uuid', { name: 'product_id' }) productId: string;
  @Column('int') available: number;
  /** The feed position of the change that set it. */
  @Column('bigint') sequence: string;
}

/** One change of a channel's availability feed, numbered in commit order. */
@Entity('availability_change')
export class AvailabilityChangeRow {
  @PrimaryColumn('text', { name: 'channel_code' }) channelCode: string;
  @PrimaryColumn('bigint') sequence: string;
  @Column('uuid', { name: 'product_id' }) productId: string;
  @Column('int') available: number;
  @Column('timestamptz') at: Date;
}

/** A nightly copy of a channel's availability of every product, at a feed position. */
@Entity('availability_snapshot')
export class AvailabilitySnapshotRow {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('text', { name: 'channel_code' }) channelCode: string;
  @Column('bigint', { name: 'feed_sequence' }) feedSequence: string;
  @Column('timestamptz', { name: 'taken_at' }) takenAt: Date;
}

@Entity('availability_snapshot_item')
export class AvailabilitySnapshotItemRow {
  @PrimaryColumn('bigint', { name: 'snapshot_id' }) snapshotId: string;
  @PrimaryColumn('uuid', { name: 'product_id' }) productId: string;
  @Column('int') available: number;
}
