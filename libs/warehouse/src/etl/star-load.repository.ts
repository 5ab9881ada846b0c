import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import { WarehouseDatabase } from '../database/warehouse-database.client';
import { RowsPerTable, STAGED_TABLES, STAR_TABLES, StagedTable } from './star-schema';

const stagingTable = (table: StagedTable) => `stage_${table}`;

function mergeStatement(table: StagedTable): string {
  const { key, columns } = STAR_TABLES[table];
  const updated = columns.filter((column) => !(key as readonly string[]).includes(column));
  const list = columns.join(', ');
  // A row is only rewritten when it changed, and never by an older state of the source (a lagging replica).
  return `INSERT INTO ${table} AS t (${list}) SELECT ${list} FROM ${stagingTable(table)}
    ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updated.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
    WHERE EXCLUDED.source_updated_at >= t.source_updated_at
      AND (${updated.map((column) => `t.${column}`).join(', ')}) IS DISTINCT FROM (${updated.map((column) => `EXCLUDED.${column}`).join(', ')})`;
}

/** Every day a loaded fact refers to, with its calendar attributes. */
const MERGE_DATES = `
  INSERT INTO dim_date (date_key, date, year, quarter, month, day, iso_week, iso_day_of_week)
  SELECT key, d, extract(year FROM d), extract(quarter FROM d), extract(month FROM d), extract(day FROM d), extract(week FROM d), extract(isodow FROM d)
    FROM (SELECT key, to_date(key::text, 'YYYYMMDD') AS d
            FROM (SELECT order_date_key AS key FROM ${stagingTable('fact_order_item')}
                  UNION SELECT snapshot_date_key FROM ${stagingTable('fact_inventory_daily')}) keys) dates
  ON CONFLICT (date_key) DO NOTHING`;

/**
 * One run's load into the warehouse, in one transaction on a client of its own: COPY into
 * temporary staging tables, then merge them into the dimensions and facts. Nothing is visible to
 * readers before commit(), and rollback() leaves the warehouse as it was.
 */
export class StarLoad {
  constructor(readonly client: PoolClient) {}

  /** A COPY ... FROM STDIN into the table's staging table. */
  copyIn(table: StagedTable): Writable {
    return this.client.query(copyFrom(`COPY ${stagingTable(table)} (${STAR_TABLES[table].columns.join(', ')}) FROM STDIN`));
  }

  async merge(): Promise<RowsPerTable> {
    const rows = { dim_date: await this.count(MERGE_DATES) } as RowsPerTable;
    for (const table of STAGED_TABLES) rows[table] = await this.count(mergeStatement(table));
    return rows;
  }

  async commit(): Promise<void> {
    await this.client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.client.query('ROLLBACK');
  }

  private async count(sql: string): Promise<number> {
    return (await this.client.query(sql)).rowCount ?? 0;
  }
}

@Injectable()
export class StarLoadRepository {
  constructor(private readonly warehouse: WarehouseDatabase) {}

  /** Opens the load's transaction with empty staging tables (dropped at its end); `done` releases the client. */
  async begin(): Promise<{ load: StarLoad; done: (error?: Error) => void }> {
    const client = await this.warehouse.connect();
    try {
      await client.query('BEGIN');
      for (const table of STAGED_TABLES) {
        await client.query(`CREATE TEMPORARY TABLE ${stagingTable(table)} (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DROP`);
      }
      return { load: new StarLoad(client), done: (error) => client.release(error) };
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }
}
