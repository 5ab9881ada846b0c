import { LRUCache } from 'lru-cache';
import { CacheEntry, notSuperseded, TagVersions } from './cache-entry';

export interface LocalCacheLimits {
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
}

const MAX_TRACKED_TAGS = 100_000;

/**
 * The in-process tier (L1): a bounded LRU of serialised bodies. It also remembers the newest
 * version it has heard of for each tag, so an entry loaded before an eviction it raced with is
 * neither served nor stored.
 */
export class LocalCache {
  private readonly entries: LRUCache<string, CacheEntry>;
  // Forgetting a tag's version could let an older entry of it pass, so forgetting one drops every entry.
  private readonly heardVersions = new LRUCache<string, number>({
    max: MAX_TRACKED_TAGS,
    dispose: (_version, _tag, reason) => {
      if (reason === 'evict') this.entries.clear();
    },
  });
  private clears = 0;
  private readonly maxBytes: number;

  constructor(limits: LocalCacheLimits, onEvicted: (count: number) => void = () => undefined) {
    this.maxBytes = limits.maxBytes;
    this.entries = new LRUCache<string, CacheEntry>({
      max: limits.maxEntries,
      maxSize: limits.maxBytes,
      ttl: Math.max(limits.ttlMs, 1),
      sizeCalculation: (entry, key) => key.length + entry.body.length * 2 + 64,
      dispose: (_entry, _key, reason) => {
        if (reason === 'evict' || reason === 'expire') onEvicted(1);
      },
    });
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (notSuperseded(entry, (tag) => this.heardVersions.get(tag))) return entry;
    this.entries.delete(key);
    return undefined;
  }

  /**
   * Stores the entry unless a newer version of one of its tags has been heard of meanwhile, or the
   * cache was cleared since `generation` (the value of `generation` when its load started).
   */
  set(key: string, entry: CacheEntry, generation: number): void {
    if (generation !== this.generation || entry.body.length * 2 > this.maxBytes) return;
    if (notSuperseded(entry, (tag) => this.heardVersions.get(tag))) this.entries.set(key, entry);
  }

  /** Applies an eviction: entries of these tags at older versions stop being served. */
  applyVersions(versions: TagVersions): void {
    for (const tag in versions) {
      const heard = this.heardVersions.get(tag);
      if (heard === undefined || heard < versions[tag]) this.heardVersions.set(tag, versions[tag]);
    }
  }

  /** Bumped by every clear: loads that started before it are not stored. */
  get generation(): number {
    return this.clears;
  }

  clear(): void {
    this.clears++;
    this.entries.clear();
    this.heardVersions.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
