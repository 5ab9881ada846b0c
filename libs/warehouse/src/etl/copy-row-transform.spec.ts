import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CopyRowTransform, CopyRowTransformOptions } from './copy-row-transform';

/** Runs the chunks through a transform; returns what came out and the transform. */
async function run(chunks: Buffer[], options: CopyRowTransformOptions): Promise<{ out: string; rows: CopyRowTransform }> {
  const parts: Buffer[] = [];
  const rows = new CopyRowTransform(options);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk);
      callback();
    },
  });
  await pipeline(Readable.from(chunks), rows, sink);
  return { out: Buffer.concat(parts).toString('utf8'), rows };
}

/** The text cut into chunks at the given byte offsets (which may fall inside a character or a row). */
const cut = (text: string, ...offsets: number[]): Buffer[] => {
  const bytes = Buffer.from(text, 'utf8');
  return [0, ...offsets].map((start, index) => bytes.subarray(start, [...offsets, bytes.length][index]));
};

describe('CopyRowTransform', () => {
  const source = 'a\tCrème brûlée\t2026-03-01T00:00:00.000000Z\nb\tesc\\taped\\\\\t2026-03-02T00:00:00.000000Z\nc\t\\N\t\\N\n';

  it('passes rows through unchanged without a map, whatever byte the chunks are cut at', async () => {
    for (const offset of [1, 6, 7, 40, 60]) {
      const { out, rows } = await run(cut(source, offset), {});
      expect(out).toBe(source);
      expect(rows.rows).toBe(3);
    }
  });

  it('maps encoded fields to encoded fields and keeps the greatest watermark', async () => {
    const { out, rows } = await run(cut(source, 5, 50), { map: (fields) => [fields[1], fields[0].toUpperCase()], watermarkColumn: 2 });
    expect(out).toBe('Crème brûlée\tA\nesc\\taped\\\\\tB\n\\N\tC\n');
    expect(rows.greatest).toBe('2026-03-02T00:00:00.000000Z');
  });

  it('reports progress at the end with every row counted', async () => {
    const seen: number[] = [];
    await run(cut(source, 20), { onProgress: (count) => void seen.push(count) });
    expect(seen.at(-1)).toBe(3);
  });

  it('fails the stream when the map throws', async () => {
    await expect(
      run(cut(source), {
        map: () => {
          throw new Error('bad row');
        },
      }),
    ).rejects.toThrow('bad row');
  });
});
