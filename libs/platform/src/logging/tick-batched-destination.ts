import type { DestinationStream } from 'pino';

/** What the batches are handed to: pino.destination's SonicBoom, or any stream that can flush. */
export interface FlushableStream extends DestinationStream {
  flushSync(): void;
}

/** Destinations with lines not yet handed on (a drain is scheduled). */
const withPending = new Set<TickBatchedDestination>();
let exitHookInstalled = false;

/**
 * A pino destination that hands the lines logged in one turn of the event loop to the stream below
 * as one string. pino.destination (SonicBoom) measures the byte length of its whole pending buffer,
 * up to 16 KiB, on every write: for a one-line-per-request log that cost more than making the line.
 * One write per turn pays it once. Lines keep their order; what is pending when the process exits
 * is written before SonicBoom's own exit flush runs.
 */
export class TickBatchedDestination implements DestinationStream {
  private pending: string[] = [];
  private scheduled = false;

  constructor(private readonly target: FlushableStream) {
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // Prepended: on-exit-leak-free (SonicBoom's exit flush) listens already and would run first.
      process.prependListener('exit', () => withPending.forEach((destination) => destination.drain()));
    }
  }

  write(line: string): void {
    this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      withPending.add(this);
      setImmediate(this.drain);
    }
  }

  flushSync(): void {
    this.drain();
    this.target.flushSync();
  }

  /** Hands the pending lines on now. */
  readonly drain = (): void => {
    this.scheduled = false;
    withPending.delete(this);
    if (this.pending.length === 0) return;
    const batch = this.pending.join('');
    this.pending = [];
    this.target.write(batch);
  };
}
