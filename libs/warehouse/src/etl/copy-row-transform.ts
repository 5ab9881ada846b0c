import { Transform, TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { ENCODED_NULL, EncodedField, splitCopyLine } from './copy-text';

/** Progress is reported every this many rows, and once at the end of the stream. */
const PROGRESS_EVERY_ROWS = 10_000;

export interface CopyRowTransformOptions {
  /**
   * Turns one source row into one row of the target table, both as encoded fields (see EncodedField:
   * a field copied as it is needs no decoding). Without it, rows pass through unchanged.
   */
  map?: (fields: EncodedField[]) => EncodedField[];
  /** Index of a source column holding a fixed-width ISO timestamp whose greatest value is kept (the watermark). */
  watermarkColumn?: number;
  onProgress?: (rows: number) => Promise<void> | void;
}

/**
 * Streams COPY text rows from a source query into a target table's COPY, a chunk of rows at a time:
 * memory stays bounded by the stream buffers, however many rows pass. Fields stay in their COPY text
 * form, so a row costs a split, the map and a join.
 */
export class CopyRowTransform extends Transform {
  rows = 0;
  /** The greatest value of the watermark column seen, if any. */
  greatest: string | undefined;
  private partial = '';
  /** A multi-byte character split between two chunks is decoded whole. */
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly options: CopyRowTransformOptions) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop()!;
    this.pushRows(lines)
      .then(() => callback())
      .catch(callback);
  }

  override _flush(callback: TransformCallback): void {
    const last = this.partial + this.decoder.end();
    this.partial = '';
    this.pushRows(last ? [last] : [])
      .then(() => this.options.onProgress?.(this.rows))
      .then(() => callback())
      .catch(callback);
  }

  private async pushRows(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    const { map, watermarkColumn } = this.options;
    let out = '';
    for (const line of lines) {
      if (map === undefined && watermarkColumn === undefined) {
        out += `${line}\n`;
        continue;
      }
      const fields = splitCopyLine(line);
      if (watermarkColumn !== undefined) {
        // A fixed-width ISO timestamp holds no escapes: its encoded form is its value.
        const value = fields[watermarkColumn];
        if (value !== ENCODED_NULL && value !== undefined && (this.greatest === undefined || value > this.greatest)) this.greatest = value;
      }
      out += `${(map ? map(fields) : fields).join('\t')}\n`;
    }
    const before = this.rows;
    this.rows += lines.length;
    this.push(out);
    if (Math.floor(before / PROGRESS_EVERY_ROWS) !== Math.floor(this.rows / PROGRESS_EVERY_ROWS)) await this.options.onProgress?.(this.rows);
  }
}
