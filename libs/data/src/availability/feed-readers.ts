import { Injectable } from '@nestjs/common';

/**
 * The furthest feed position any reader of each channel has been served by this process: what
 * the feed-lag gauge measures from. In memory, so reading the feed writes nothing.
 */
@Injectable()
export class FeedReaders {
  private readonly positions = new Map<string, bigint>();

  read(channel: string, position: string): void {
    const reached = BigInt(position);
    const known = this.positions.get(channel);
    if (known === undefined || reached > known) this.positions.set(channel, reached);
  }

  /** Each channel read here, with its furthest position. */
  snapshot(): Map<string, string> {
    return new Map([...this.positions].map(([channel, position]) => [channel, position.toString()]));
  }
}
