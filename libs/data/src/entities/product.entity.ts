import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('product')
export class Product {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) sku: string;
  @Column('text') name: string;
  /** numeric(14,2): pg hands it over as a decimal string, exactly what the API returns. */
  @Column('numeric', { precision: 14, scale: 2 }) price: string;
  @Column('char', { length: 3 }) currency: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
