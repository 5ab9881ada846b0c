import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Only a SHA-256 of the key is stored: the key itself is shown once, at creation. */
@Entity('api_key')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'sales_channel' }) salesChannel: string;
  @Column('bytea', { name: 'key_hash', unique: true }) keyHash: Buffer;
  /** Null: every permission (see api-key-access.ts), every channel, every facility. */
  @Column('text', { array: true, nullable: true }) permissions: string[] | null;
  @Column('text', { array: true, nullable: true }) channels: string[] | null;
  @Column('uuid', { array: true, nullable: true }) facilities: string[] | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
