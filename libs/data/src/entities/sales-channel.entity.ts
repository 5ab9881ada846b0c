import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const SALES_CHANNEL_TYPES = ['API', 'SHOPIFY'] as const;
export type SalesChannelType = (typeof SALES_CHANNEL_TYPES)[number];

/** Where orders come from, and what of the stock it may sell. */
@Entity('sales_channel')
export class SalesChannel {
  @PrimaryColumn('text') code: string;
  @Column('text') name: string;
  @Column('text') type: SalesChannelType;
  /** Shopify signs its webhooks with it; never returned by the API. */
  @Column('text', { name: 'webhook_secret', nullable: true }) webhookSecret: string | null;
  /** Whose stock the channel sells; null: every facility. */
  @Column('uuid', { name: 'facility_group_id', nullable: true }) facilityGroupId: string | null;
  /** Units of each product held back from the channel's availability. */
  @Column('int', { name: 'threshold_units' }) thresholdUnits: number;
  /** Whether the channel's availability counts what open purchase orders bring (sold as pre-orders). */
  @Column('boolean', { name: 'preorder_from_purchase_orders' }) preorderFromPurchaseOrders: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
