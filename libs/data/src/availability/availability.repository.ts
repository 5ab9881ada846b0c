import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';

/** What a channel may sell of a product now. */
export interface ChannelAvailabilityView {
  productId: string;
  sku: string;
  available: number;
}

/** One change of the feed: the product's new availability on the channel, at its feed position. */
export interface FeedChangeRow extends ChannelAvailabilityView {
  /** The feed position (a 64-bit integer, as a string). */
  sequence: string;
  at: Date;
}

export interface SnapshotHeader {
  id: string;
  takenAt: Date;
  /** The feed position the snapshot's values correspond to. */
  feedSequence: string;
}

/** The channel's availability of the products: every product has one, 0 until the feed says more. */
const CURRENT = `SELECT p.id AS "productId", p.sku, COALESCE(ca.available, 0) AS available
  FROM product p LEFT JOIN channel_availability ca ON ca.channel_code = $1 AND ca.product_id = p.id`;

/**
 * SQL of channel availability. The database writes it (availability_publish, at the commit of
 * every change of stock, waiting items or channel scope); this reads it and takes snapshots.
 */
@Injectable()
export class AvailabilityRepository {
  async ofProduct(db: Queryable, channel: string, productId: string): Promise<ChannelAvailabilityView | undefined> {
    const [row] = await db.query<ChannelAvailabilityView>(`${CURRENT} WHERE p.id = $2`, [channel, productId]);
    return row;
  }

  async productIdOfSku(db: Queryable, sku: string): Promise<string | undefined> {
    const [row] = await db.query<{ id: string }>('SELECT id FROM product WHERE sku = $1', [sku]);
    return row?.id;
  }

  /** Changes of the channel after a feed position, in feed (commit) order. */
  changesAfter(db: Queryable, channel: string, after: string, limit: number): Promise<FeedChangeRow[]> {
    return db.query<FeedChangeRow>(
      `SELECT c.sequence::text AS sequence, c.product_id AS "productId", p.sku, c.available, c.at
         FROM availability_change c JOIN product p ON p.id = c.product_id
        WHERE c.channel_code = $1 AND c.sequence > $2::bigint
        ORDER BY c.sequence LIMIT $3`,
      [channel, after, limit],
    );
  }

  /** When the oldest change of each channel after its position was made; channels with none are left out. */
  async oldestUnread(db: Queryable, positions: Map<string, string>): Promise<Map<string, Date>> {
    if (positions.size === 0) return new Map();
    const rows = await db.query<{ channel: string; at: Date }>(
      `SELECT r.channel, c.at FROM unnest($1::text[], $2::bigint[]) AS r(channel, after)
         CROSS JOIN LATERAL (SELECT at FROM availability_change WHERE channel_code = r.channel AND sequence > r.after ORDER BY sequence LIMIT 1) c`,
      [[...positions.keys()], [...positions.values()]],
    );
    return new Map(rows.map((row) => [row.channel, row.at]));
  }

  /**
   * Copies the channel's availability of every product, with the feed position it corresponds to:
   * one statement, so one consistent view of both (they are written in the same transactions).
   */
  async takeSnapshot(db: Queryable, channel: string): Promise<SnapshotHeader> {
    const [row] = await db.query<SnapshotHeader>(
      `WITH snapshot AS (
         INSERT INTO availability_snapshot (channel_code, feed_sequence) SELECT $1, last FROM availability_feed_sequence
         RETURNING id, taken_at, feed_sequence
       ), items AS (
         INSERT INTO availability_snapshot_item (snapshot_id, product_id, available)
         SELECT s.id, p.id, COALESCE(ca.available, 0)
           FROM snapshot s CROSS JOIN product p LEFT JOIN channel_availability ca ON ca.channel_code = $1 AND ca.product_id = p.id
       )
       SELECT id::text AS id, taken_at AS "takenAt", feed_sequence::text AS "feedSequence" FROM snapshot`,
      [channel],
    );
    return row;
  }

  /** Deletes all but the newest `keep` snapshots of the channel; the number deleted. */
  async pruneSnapshots(db: Queryable, channel: string, keep: number): Promise<number> {
    const rows = await db.query(
      `DELETE FROM availability_snapshot WHERE channel_code = $1
          AND id NOT IN (SELECT id FROM availability_snapshot WHERE channel_code = $1 ORDER BY id DESC LIMIT $2)
       RETURNING id`,
      [channel, keep],
    );
    return rows.length;
  }

  async latestSnapshot(db: Queryable, channel: string): Promise<SnapshotHeader | undefined> {
    const [row] = await db.query<SnapshotHeader>(
      `SELECT id::text AS id, taken_at AS "takenAt", feed_sequence::text AS "feedSequence"
         FROM availability_snapshot WHERE channel_code = $1 ORDER BY id DESC LIMIT 1`,
      [channel],
    );
    return row;
  }

  async snapshot(db: Queryable, channel: string, id: string): Promise<SnapshotHeader | undefined> {
    const [row] = await db.query<SnapshotHeader>(
      `SELECT id::text AS id, taken_at AS "takenAt", feed_sequence::text AS "feedSequence"
         FROM availability_snapshot WHERE channel_code = $1 AND id = $2::bigint`,
      [channel, id],
    );
    return row;
  }

  /** A page of a snapshot's items, by product id. */
  snapshotItems(db: Queryable, snapshotId: string, afterProductId: string | undefined, limit: number): Promise<ChannelAvailabilityView[]> {
    return db.query<ChannelAvailabilityView>(
      `SELECT i.product_id AS "productId", p.sku, i.available
         FROM availability_snapshot_item i JOIN product p ON p.id = i.product_id
        WHERE i.snapshot_id = $1 AND ($2::uuid IS NULL OR i.product_id > $2::uuid)
        ORDER BY i.product_id LIMIT $3`,
      [snapshotId, afterProductId ?? null, limit],
    );
  }

  /** Every channel's code. */
  async channelCodes(db: Queryable): Promise<string[]> {
    return (await db.query<{ code: string }>('SELECT code FROM sales_channel ORDER BY code')).map((row) => row.code);
  }
}
