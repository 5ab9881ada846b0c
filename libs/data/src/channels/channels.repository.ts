import { Injectable } from '@nestjs/common';
import type { SalesChannelType } from '../entities/sales-channel.entity';
import type { Queryable } from '../read-routing/queryable';

/** A channel as the API shows it: its facility group by code, never its webhook secret. */
export interface ChannelView {
  code: string;
  name: string;
  type: SalesChannelType;
  facilityGroup: string | null;
  thresholdUnits: number;
  preorderFromPurchaseOrders: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewChannel {
  code: string;
  name: string;
  type: SalesChannelType;
  webhookSecret?: string;
  facilityGroupId?: string | null;
  preorderFromPurchaseOrders?: boolean;
}

/** What may change on a channel; undefined leaves a field as it is, a null group means every facility. */
export interface ChannelChanges {
  name?: string;
  webhookSecret?: string;
  facilityGroupId?: string | null;
  thresholdUnits?: number;
  preorderFromPurchaseOrders?: boolean;
}

const VIEW = `c.code, c.name, c.type, g.code AS "facilityGroup", c.threshold_units AS "thresholdUnits",
  c.preorder_from_purchase_orders AS "preorderFromPurchaseOrders", c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;
const FROM = 'sales_channel c LEFT JOIN facility_group g ON g.id = c.facility_group_id';

/** SQL of sales channels; a duplicate code surfaces as the database's unique violation. */
@Injectable()
export class ChannelsRepository {
  async insert(db: Queryable, channel: NewChannel): Promise<void> {
    await db.query(
      'INSERT INTO sales_channel (code, name, type, webhook_secret, facility_group_id, preorder_from_purchase_orders) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        channel.code,
        channel.name,
        channel.type,
        channel.webhookSecret ?? null,
        channel.facilityGroupId ?? null,
        channel.preorderFromPurchaseOrders ?? false,
      ],
    );
  }

  /** Updates the fields given; false when there is no such channel. */
  async update(db: Queryable, code: string, changes: ChannelChanges): Promise<boolean> {
    const rows = await db.query<{ code: string }>(
      `UPDATE sales_channel SET
         name = COALESCE($2, name),
         webhook_secret = COALESCE($3, webhook_secret),
         facility_group_id = CASE WHEN $4 THEN $5::uuid ELSE facility_group_id END,
         threshold_units = COALESCE($6, threshold_units),
         preorder_from_purchase_orders = COALESCE($7, preorder_from_purchase_orders)
       WHERE code = $1 RETURNING code`,
      [
        code,
        changes.name ?? null,
        changes.webhookSecret ?? null,
        changes.facilityGroupId !== undefined,
        changes.facilityGroupId ?? null,
        changes.thresholdUnits ?? null,
        changes.preorderFromPurchaseOrders ?? null,
      ],
    );
    return rows.length > 0;
  }

  async find(db: Queryable, code: string): Promise<ChannelView | undefined> {
    const [row] = await db.query<ChannelView>(`SELECT ${VIEW} FROM ${FROM} WHERE c.code = $1`, [code]);
    return row;
  }

  /** Every channel, by code: a retailer has a handful. */
  list(db: Queryable): Promise<ChannelView[]> {
    return db.query<ChannelView>(`SELECT ${VIEW} FROM ${FROM} ORDER BY c.code`);
  }

  async exists(db: Queryable, code: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM sales_channel WHERE code = $1', [code])).length > 0;
  }

  /** The secret a SHOPIFY channel's webhooks are signed with; undefined when the code names no Shopify channel. */
  async shopifySecret(db: Queryable, code: string): Promise<string | undefined> {
    const [row] = await db.query<{ secret: string }>("SELECT webhook_secret AS secret FROM sales_channel WHERE code = $1 AND type = 'SHOPIFY'", [
      code,
    ]);
    return row?.secret;
  }

  /** The id of the facility group with this code, or undefined. */
  async facilityGroupId(db: Queryable, groupCode: string): Promise<string | undefined> {
    const [row] = await db.query<{ id: string }>('SELECT id FROM facility_group WHERE code = $1', [groupCode]);
    return row?.id;
  }
}
