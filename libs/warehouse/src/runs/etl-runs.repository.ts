import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, errorCodes } from '@app/platform';
import type { EtlSource } from '../database/etl-source.client';
import { WarehouseDatabase } from '../database/warehouse-database.client';
import { LOADED_TABLES, RowsPerTable } from '../etl/star-schema';
import type { EtlRun, EtlTrigger, EtlWindow } from './etl-run.view';

const PG_UNIQUE_VIOLATION = '23505';
const ERROR_TEXT_LIMIT = 2000;

/** What a run that has not loaded yet reports per table (and a run recorded before a table was added, for that table). */
const NO_ROWS = JSON.stringify(Object.fromEntries(LOADED_TABLES.map((table) => [table, 0])));

const RUN_COLUMNS = `id, trigger, status, window_from AS "windowFrom", window_to AS "windowTo", source, rows_loaded AS "rowsLoaded",
  '${NO_ROWS}'::jsonb || COALESCE(rows_per_table, '{}'::jsonb) AS "rowsPerTable", watermark, error, created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

/** What the run's load transaction records with the data, so that both commit or neither does. */
export interface LoadRecord {
  source: EtlSource;
  rowsPerTable: RowsPerTable;
  watermark: string | undefined;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

@Injectable()
export class EtlRunsRepository {
  constructor(
    private readonly warehouse: WarehouseDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A new queued run, or undefined when a run is queued or running already: the partial unique
   * index on active runs decides, so two callers racing cannot both get one.
   */
  async insertQueued(trigger: EtlTrigger, window: EtlWindow | undefined): Promise<EtlRun | undefined> {
    try {
      const [run] = await this.warehouse.query<EtlRun>(
        `INSERT INTO etl_run (trigger, status, window_from, window_to)
         VALUES ($1, 'queued', $2::date::timestamp AT TIME ZONE $4, ($3::date + 1)::timestamp AT TIME ZONE $4)
         RETURNING ${RUN_COLUMNS}`,
        [trigger, window?.from ?? null, window?.to ?? null, this.config.schedules.warehouseTimeZone],
      );
      return run;
    } catch (error) {
      if (errorCodes(error).includes(PG_UNIQUE_VIOLATION)) return undefined;
      throw error;
    }
  }

  async findActive(): Promise<EtlRun | undefined> {
    const [run] = await this.warehouse.query<EtlRun>(`SELECT ${RUN_COLUMNS} FROM etl_run WHERE status IN ('queued', 'running')`);
    return run;
  }

  async find(id: string): Promise<EtlRun | undefined> {
    const [run] = await this.warehouse.query<EtlRun>(`SELECT ${RUN_COLUMNS} FROM etl_run WHERE id = $1`, [id]);
    return run;
  }

  async listNewestFirst(limit: number): Promise<EtlRun[]> {
    return this.warehouse.query<EtlRun>(`SELECT ${RUN_COLUMNS} FROM etl_run ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
  }

  /** Moves a queued run to running; a run already running is the same job run again (its worker died) and is taken over. */
  async claim(id: string): Promise<EtlRun | undefined> {
    const [run] = await this.warehouse.query<EtlRun>(
      `UPDATE etl_run SET status = 'running', started_at = clock_timestamp() WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${RUN_COLUMNS}`,
      [id],
    );
    return run;
  }

  /** The watermark of the last successful run, as a fixed-width ISO instant. */
  async lastWatermark(): Promise<string | undefined> {
    const [row] = await this.warehouse.query<{ watermark: string }>(
      `SELECT to_char(watermark AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS watermark
         FROM etl_run WHERE status = 'succeeded' AND watermark IS NOT NULL ORDER BY finished_at DESC LIMIT 1`,
    );
    return row?.watermark;
  }

  /** Inside the load's transaction. */
  async recordLoad(tx: Queryable, id: string, record: LoadRecord): Promise<void> {
    const rowsLoaded = Object.values(record.rowsPerTable).reduce((sum, rows) => sum + rows, 0);
    await tx.query('UPDATE etl_run SET source = $2, rows_per_table = $3, rows_loaded = $4, watermark = $5 WHERE id = $1', [
      id,
      record.source,
      JSON.stringify(record.rowsPerTable),
      rowsLoaded,
      record.watermark ?? null,
    ]);
  }

  async markSucceeded(id: string): Promise<void> {
    await this.warehouse.query(`UPDATE etl_run SET status = 'succeeded', finished_at = clock_timestamp(), error = NULL WHERE id = $1`, [id]);
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.warehouse.query(`UPDATE etl_run SET status = 'failed', finished_at = clock_timestamp(), error = $2 WHERE id = $1`, [
      id,
      error.slice(0, ERROR_TEXT_LIMIT),
    ]);
  }
}
