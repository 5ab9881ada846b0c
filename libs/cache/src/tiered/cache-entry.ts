/** Tag -> version counter. A write bumps the versions of the tags it touched. */
export type TagVersions = Record<string, number>;

/** A response body, serialised once, with the versions of its tags when it was read from the database. */
export interface CacheEntry {
  body: string;
  versions: TagVersions;
}

/**
 * Whether an entry is still current: every one of its tags is at exactly the version it was built
 * at. Exact, not "at least", so that versions reset by a Redis restart never revive an old entry.
 */
export function matchesVersions(entry: CacheEntry, current: TagVersions): boolean {
  for (const tag in entry.versions) if ((current[tag] ?? 0) !== entry.versions[tag]) return false;
  return true;
}

/** Whether no newer version than the entry's has been heard of for any of its tags. */
export function notSuperseded(entry: CacheEntry, heard: (tag: string) => number | undefined): boolean {
  for (const tag in entry.versions) {
    const version = heard(tag);
    if (version !== undefined && version > entry.versions[tag]) return false;
  }
  return true;
}
