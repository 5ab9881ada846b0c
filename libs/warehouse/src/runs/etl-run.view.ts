import type { EtlSource } from '../database/etl-source.client';
import type { RowsPerTable } from '../etl/star-schema';

export type EtlTrigger = 'manual' | 'schedule';
export type EtlRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface EtlRun {
  id: string;
  trigger: EtlTrigger;
  status: EtlRunStatus;
  /** Orders placed from this instant on are loaded; null for an incremental run (everything changed since the watermark). */
  windowFrom: Date | null;
  windowTo: Date | null;
  /** Where the run read: the replica, or the primary when no replica is configured. */
  source: EtlSource | null;
  rowsLoaded: number;
  /** Rows inserted or changed per table; all zero until the run has loaded. */
  rowsPerTable: RowsPerTable;
  /** The latest change time loaded so far: the next incremental run starts from it. */
  watermark: Date | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A window of order dates, both ends included, local to WAREHOUSE_TZ. */
export interface EtlWindow {
  from: string;
  to: string;
}
