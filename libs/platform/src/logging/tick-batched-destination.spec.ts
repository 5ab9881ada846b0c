import { setImmediate as nextTurn } from 'node:timers/promises';
import { FlushableStream, TickBatchedDestination } from './tick-batched-destination';

class RecordingStream implements FlushableStream {
  readonly writes: string[] = [];
  flushes = 0;
  write(data: string): void {
    this.writes.push(data);
  }
  flushSync(): void {
    this.flushes++;
  }
}

describe('TickBatchedDestination', () => {
  it('hands the lines of one event-loop turn on as one write, in order, and the next turn as another', async () => {
    const target = new RecordingStream();
    const destination = new TickBatchedDestination(target);
    destination.write('a\n');
    destination.write('b\n');
    expect(target.writes).toEqual([]);
    await nextTurn();
    destination.write('c\n');
    await nextTurn();
    expect(target.writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('flushSync hands the pending lines on before flushing the stream below', () => {
    const target = new RecordingStream();
    const destination = new TickBatchedDestination(target);
    destination.write('a\n');
    destination.flushSync();
    expect(target.writes).toEqual(['a\n']);
    expect(target.flushes).toBe(1);
  });

  it('writes nothing when nothing is pending', async () => {
    const target = new RecordingStream();
    const destination = new TickBatchedDestination(target);
    destination.drain();
    await nextTurn();
    expect(target.writes).toEqual([]);
  });
});
