import { Injectable } from '@nestjs/common';
import { RedisClient } from '@app/cache';

const MARK_TTL_MS = 60_000;

/**
 * The WAL position of each client's last write, shared by every sync-api instance through Redis
 * (the client's next read may land on another instance). While Redis is down the marks are kept
 * in this process only, so read-your-writes degrades to "same instance" rather than failing.
 */
@Injectable()
export class WriteMarksStore {
  private readonly local = new Map<string, { lsn: string; expiresAt: number }>();

  constructor(private readonly redis: RedisClient) {}

  async record(clientId: string, lsn: string): Promise<void> {
    this.local.set(clientId, { lsn, expiresAt: Date.now() + MARK_TTL_MS });
    await this.redis.connection.set(this.key(clientId), lsn, 'PX', MARK_TTL_MS).catch(() => undefined);
  }

  async lastWrite(clientId: string): Promise<string | undefined> {
    const shared = await this.redis.connection.get(this.key(clientId)).catch(() => null);
    if (shared) return shared;
    const local = this.local.get(clientId);
    if (!local || local.expiresAt < Date.now()) {
      this.local.delete(clientId);
      return undefined;
    }
    return local.lsn;
  }

  private key(clientId: string): string {
    return `oms:ryw:${clientId}`;
  }
}
