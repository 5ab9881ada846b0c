import { Transform, TransformCallback } from 'node:stream';
import { CopyField, formatCopyLine, parseCopyLine } from './copy-text';

/** Progress is reported every this many rows, and once at the end of the stream. */
const PROGRESS_EVERY_ROWS = 10_000;

export interface CopyRowTransformOptions {
  /** Turns one source row into one row of the target table. */
  map: (fields: CopyField[]) => CopyField[];
  /** Index of a source column holding a fixed-width ISO timestamp whose greatest value is kept (the watermark). */
  watermarkColumn?: number;
  onProgress?: (rows: number) => Promise<void> | void;
}

/**
 * Streams COPY text rows from a source query into a target table's COPY, one row at a time: memory
 * stays bounded by the stream buffers, however many rows pass.
 */
export class CopyRowTransform extends Transform {
  rows = 0;
  /** The greatest value of the watermark column seen, if any. */
  greatest: string | undefined;
  private partial = '';

  constructor(private readonly options: CopyRowTransformOptions) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const lines = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = lines.pop()!;
    this.pushRows(lines)
      .then(() => callback())
      .catch(callback);
  }

  override _flush(callback: TransformCallback): void {
    const rest = this.partial ? [this.partial] : [];
    this.partial = '';
    this.pushRows(rest)
      .then(() => this.options.onProgress?.(this.rows))
      .then(() => callback())
      .catch(callback);
  }

  private async pushRows(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    let out = '';
    for (const line of lines) {
      const fields = parseCopyLine(line);
      if (this.options.watermarkColumn !== undefined) {
        const value = fields[this.options.watermarkColumn];
        if (value !== null && (this.greatest === undefined || value > this.greatest)) this.greatest = value;
      }
      out += formatCopyLine(this.options.map(fields));
    }
    const before = this.rows;
    this.rows += lines.length;
    this.push(out);
    if (Math.floor(before / PROGRESS_EVERY_ROWS) !== Math.floor(this.rows / PROGRESS_EVERY_ROWS)) await this.options.onProgress?.(this.rows);
  }
}
