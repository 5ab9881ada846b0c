import { Inject, Injectable, Logger } from '@nestjs/common';
import { pipeline } from 'node:stream/promises';
import { CacheInvalidator } from '@app/cache';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { EtlSourceClient, SourceSnapshot } from '../database/etl-source.client';
import { WAREHOUSE_CACHE_TAG } from '../reports/warehouse-cache-tag';
import type { EtlRun } from '../runs/etl-run.view';
import { EtlRunsRepository } from '../runs/etl-runs.repository';
import { EtlRunsService } from '../runs/etl-runs.service';
import type { EncodedField } from './copy-text';
import { CopyRowTransform } from './copy-row-transform';
import { EtlMetrics } from './etl-metrics';
import { extractQueries, ExtractScope, WATERMARK_COLUMN } from './extract-queries';
import { FactTransform, HISTORY_FACTS } from './history-facts';
import { LocalDates } from './local-date';
import { orderItemFact } from './order-item-fact';
import { receiptFact } from './receipt-fact';
import { RowsPerTable, STAGED_TABLES, StagedTable } from './star-schema';
import { StarLoad, StarLoadRepository } from './star-load.repository';

/**
 * How far before the last watermark an incremental run looks again: a transaction commits after it
 * stamps updated_at, so a row can become visible with a time older than one already loaded. Merges
 * are idempotent, so looking twice costs only time.
 */
export const WATERMARK_OVERLAP_MS = 5 * 60 * 1000;

/** The transform of each staged table whose rows are not copied as they come: the facts, which are dated in the warehouse time zone. */
const TRANSFORMS: Partial<Record<StagedTable, FactTransform>> = {
  fact_order_item: orderItemFact,
  fact_receipt: receiptFact,
  ...Object.fromEntries(Object.entries(HISTORY_FACTS).map(([table, { transform }]) => [table, transform])),
};

export interface EtlProgress {
  step: 'extract' | 'merge' | 'done';
  table?: StagedTable;
  rows: number;
}

export type EtlProgressListener = (progress: EtlProgress) => Promise<void> | void;

export interface EtlOutcome {
  /** None when a scheduled run was skipped because another run was active. */
  runId?: string;
  status: 'succeeded' | 'skipped';
  rowsPerTable?: RowsPerTable;
}

/** Extracts one snapshot of the OMS, transforms it into the star schema and loads it in one warehouse transaction. */
@Injectable()
export class EtlService {
  private readonly logger = new Logger(EtlService.name);

  constructor(
    private readonly runs: EtlRunsRepository,
    private readonly runRecords: EtlRunsService,
    private readonly source: EtlSourceClient,
    private readonly loads: StarLoadRepository,
    private readonly cache: CacheInvalidator,
    private readonly metrics: EtlMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The end-of-day run: created and run at once, or skipped while another run is active. */
  async runScheduled(onProgress?: EtlProgressListener): Promise<EtlOutcome> {
    const run = await this.runRecords.createScheduled();
    if (!run) return { status: 'skipped' };
    return this.run(run.id, onProgress);
  }

  /**
   * Runs a queued run (or takes over one whose worker died). The run ends `succeeded`, or `failed`
   * with the error and the warehouse as it was; the error is thrown again for the job to fail.
   */
  async run(runId: string, onProgress: EtlProgressListener = () => undefined): Promise<EtlOutcome> {
    const run = await this.runs.claim(runId);
    if (!run) return { runId, status: 'skipped' };
    const started = performance.now();
    const elapsedSeconds = () => (performance.now() - started) / 1000;
    try {
      const rowsPerTable = await this.load(run, onProgress);
      // After the data commits and before the run says so: whoever sees `succeeded` reads fresh reports.
      await this.cache.invalidate([WAREHOUSE_CACHE_TAG]);
      await this.runs.markSucceeded(run.id);
      // And again: a report cached in between read the new data with the previous run's finish time as its as-of.
      await this.cache.invalidate([WAREHOUSE_CACHE_TAG]);
      await onProgress({ step: 'done', rows: Object.values(rowsPerTable).reduce((sum, rows) => sum + rows, 0) });
      this.metrics.succeeded(run.trigger, elapsedSeconds(), rowsPerTable);
      this.logger.log({ runId, rowsPerTable }, 'warehouse ETL run succeeded');
      return { runId, status: 'succeeded', rowsPerTable };
    } catch (error) {
      this.logger.error({ runId, err: error }, 'warehouse ETL run failed');
      await this.runs.markFailed(run.id, (error as Error).message || String(error));
      this.metrics.failed(run.trigger, elapsedSeconds());
      throw error;
    }
  }

  private async load(run: EtlRun, onProgress: EtlProgressListener): Promise<RowsPerTable> {
    const watermark = await this.runs.lastWatermark();
    const snapshot = await this.source.openSnapshot();
    try {
      const { load, done } = await this.loads.begin();
      try {
        const localDates = new LocalDates(this.config.schedules.warehouseTimeZone);
        const scope: ExtractScope = {
          changedAfter: watermark === undefined ? undefined : new Date(Date.parse(watermark) - WATERMARK_OVERLAP_MS).toISOString(),
          window: run.windowFrom && run.windowTo ? { from: run.windowFrom.toISOString(), to: run.windowTo.toISOString() } : undefined,
          wholeTables: load.emptyTables,
          snapshotDateKey: localDates.dateKeyOf(snapshot.takenAt),
        };
        const queries = extractQueries(scope, (value) => snapshot.quote(value));
        let greatest = watermark;
        for (const table of STAGED_TABLES) {
          const transform = TRANSFORMS[table];
          const seen = await this.stage(snapshot, load, table, queries[table], transform && ((fields) => transform(fields, localDates)), onProgress);
          // Only an incremental run has seen every change since the watermark, so only it moves the watermark on.
          if (!scope.window && seen !== undefined && (greatest === undefined || seen > greatest)) greatest = seen;
        }
        await onProgress({ step: 'merge', rows: 0 });
        const rowsPerTable = await load.merge();
        await this.runs.recordLoad(load.client, run.id, { source: snapshot.source, rowsPerTable, watermark: greatest });
        await load.commit();
        done();
        return rowsPerTable;
      } catch (error) {
        await load.rollback().catch(() => undefined);
        done(error as Error);
        throw error;
      }
    } finally {
      await snapshot.close().catch(() => undefined);
    }
  }

  /** Streams one extract into its staging table; returns the greatest change time it saw. */
  private async stage(
    snapshot: SourceSnapshot,
    load: StarLoad,
    table: StagedTable,
    sql: string,
    map: ((fields: EncodedField[]) => EncodedField[]) | undefined,
    onProgress: EtlProgressListener,
  ): Promise<string | undefined> {
    const rows = new CopyRowTransform({
      map,
      watermarkColumn: WATERMARK_COLUMN[table],
      onProgress: (count) => onProgress({ step: 'extract', table, rows: count }),
    });
    await pipeline(snapshot.copyOut(sql), rows, load.copyIn(table));
    return rows.greatest;
  }
}
