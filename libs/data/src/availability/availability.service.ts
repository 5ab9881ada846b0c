import { Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '@app/platform';
import { AccessScope, reachesChannel, UNRESTRICTED } from '../api-keys/api-key-access';
import { ChannelsRepository } from '../channels/channels.repository';
import { PrimaryDatabase } from '../database/primary-database';
import { AvailabilityRepository, ChannelAvailabilityView } from './availability.repository';
import { decodeFeedCursor, decodeSnapshotCursor, encodeFeedCursor, encodeSnapshotCursor } from './feed-cursor';
import { FeedReaders } from './feed-readers';

export type { ChannelAvailabilityView } from './availability.repository';

export interface AvailabilityChange extends ChannelAvailabilityView {
  at: Date;
}

export interface AvailabilityChangePage {
  items: AvailabilityChange[];
  /** Where to go on from: after the last item, or the cursor given when there was none (poll it again later). */
  nextCursor: string;
}

export interface AvailabilitySnapshotPage {
  takenAt: Date;
  /** The feed cursor the snapshot's values correspond to: read the feed from it to follow on. */
  feedCursor: string;
  items: ChannelAvailabilityView[];
  /** Null after the last page. */
  nextCursor: string | null;
}

/** One of productId and sku names the product. */
export type ProductRef = { productId: string; sku?: undefined } | { sku: string; productId?: undefined };

/** Snapshots kept per channel: last night's, and a few before it for a reconciliation under way. */
export const SNAPSHOTS_KEPT = 3;
/** SKUs never change: their ids are kept, up to this many, so that a read by SKU costs no query. */
const SKU_IDS_KEPT = 100_000;
const FEED_START = '0';

/**
 * Online availability per channel (HotWax's online ATP): brokerable stock of the channel's
 * facility group (every facility without one), facilities that allow brokering, minus the units
 * waiting in the queues (see WAITING_ITEM_STATUSES), minus the channel's threshold, never below 0.
 * The database keeps it current and writes its change feed at each commit; this reads both, and
 * takes the nightly snapshots.
 */
@Injectable()
export class AvailabilityService {
  private readonly skuIds = new Map<string, string>();

  constructor(
    private readonly db: PrimaryDatabase,
    private readonly availability: AvailabilityRepository,
    private readonly channels: ChannelsRepository,
    private readonly readers: FeedReaders,
  ) {}

  /** The product's id: an unknown SKU is not found. */
  async productIdOf(ref: ProductRef): Promise<string> {
    if (ref.productId !== undefined) return ref.productId.toLowerCase();
    const known = this.skuIds.get(ref.sku);
    if (known !== undefined) return known;
    const id = await this.availability.productIdOfSku(this.db, ref.sku);
    if (id === undefined) throw new NotFoundError(`product with sku ${ref.sku} not found`);
    if (this.skuIds.size >= SKU_IDS_KEPT) this.skuIds.clear();
    this.skuIds.set(ref.sku, id);
    return id;
  }

  async ofProduct(code: string, productId: string, scope: AccessScope = UNRESTRICTED): Promise<ChannelAvailabilityView> {
    await this.assertChannel(code, scope);
    const found = await this.availability.ofProduct(this.db, code, productId);
    if (!found) throw new NotFoundError(`product ${productId} not found`);
    return found;
  }

  /** The channel's changes after the cursor (from the start without one), in commit order. */
  async changes(code: string, page: { cursor?: string; limit: number }, scope: AccessScope = UNRESTRICTED): Promise<AvailabilityChangePage> {
    const after = page.cursor === undefined ? FEED_START : decodeFeedCursor(page.cursor);
    await this.assertChannel(code, scope);
    const rows = await this.availability.changesAfter(this.db, code, after, page.limit);
    const reached = rows.length === 0 ? after : rows[rows.length - 1].sequence;
    this.readers.read(code, reached);
    return {
      items: rows.map(({ productId, sku, available, at }) => ({ productId, sku, available, at })),
      nextCursor: encodeFeedCursor(reached),
    };
  }

  /** A page of the channel's latest snapshot; a cursor keeps to the snapshot it was made in (while it is kept). */
  async snapshot(code: string, page: { cursor?: string; limit: number }, scope: AccessScope = UNRESTRICTED): Promise<AvailabilitySnapshotPage> {
    const position = page.cursor === undefined ? undefined : decodeSnapshotCursor(page.cursor);
    await this.assertChannel(code, scope);
    const latest = await this.availability.latestSnapshot(this.db, code);
    if (!latest) throw new NotFoundError(`channel ${code} has no availability snapshot yet`);
    const header = position === undefined ? latest : await this.availability.snapshot(this.db, code, position.snapshotId);
    if (!header) {
      throw new InvalidInputError('the snapshot of this cursor is no longer kept: start again without a cursor', [
        { field: 'cursor', message: 'snapshot no longer kept' },
      ]);
    }
    const items = await this.availability.snapshotItems(this.db, header.id, position?.productId, page.limit);
    const last = items.length === page.limit ? items[items.length - 1] : undefined;
    return {
      takenAt: header.takenAt,
      feedCursor: encodeFeedCursor(header.feedSequence),
      items,
      nextCursor: last === undefined ? null : encodeSnapshotCursor({ snapshotId: header.id, productId: last.productId }),
    };
  }

  /** A snapshot of every channel, each consistent with its feed position; older ones beyond SNAPSHOTS_KEPT are deleted. */
  async takeSnapshots(): Promise<{ channels: number; pruned: number }> {
    const codes = await this.availability.channelCodes(this.db);
    let pruned = 0;
    for (const code of codes) {
      await this.availability.takeSnapshot(this.db, code);
      pruned += await this.availability.pruneSnapshots(this.db, code, SNAPSHOTS_KEPT);
    }
    return { channels: codes.length, pruned };
  }

  /** Seconds the oldest change not yet read by any reader (served by this process) has waited, per channel read here. */
  async feedLagSeconds(now = new Date()): Promise<Map<string, number>> {
    const positions = this.readers.snapshot();
    const oldest = await this.availability.oldestUnread(this.db, positions);
    return new Map(
      [...positions.keys()].map((channel) => [channel, Math.max(0, (now.getTime() - (oldest.get(channel)?.getTime() ?? now.getTime())) / 1000)]),
    );
  }

  /** A key restricted to channels reaches only those: another channel is not found, as if it did not exist. */
  private async assertChannel(code: string, scope: AccessScope): Promise<void> {
    if (!reachesChannel(scope, code) || !(await this.channels.exists(this.db, code))) throw new NotFoundError(`channel ${code} not found`);
  }
}
