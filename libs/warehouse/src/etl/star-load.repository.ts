import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import { WarehouseDatabase } from '../database/warehouse-database.client';
import { dropKeysAndIndexes } from './table-indexes';
import { LOADED_TABLES, RowsPerTable, STAGED_TABLES, STAR_TABLES, StagedTable } from './star-schema';

const stagingTable = (table: StagedTable) => `stage_${table}`;

/**
 * The merge of one staged table, as two set-based statements: the rows that changed are updated,
 * then the rows that are new are inserted, in key order (index pages are filled in turn rather than
 * all over). A row is only rewritten when it changed, and never by an older state of the source (a
 * lagging replica). INSERT ... ON CONFLICT would do both in one statement but row by row, each
 * insert first probing the key: about 1.7x the time of these two for a large load, and 4x for a
 * re-run that changes nothing. The one active run is the only writer of these tables (the load
 * locks them against another, see StarLoadRepository.begin()), so no row can appear between the two
 * statements.
 */
export function mergeStatements(table: StagedTable): [update: string, insert: string] {
  const { key, columns } = STAR_TABLES[table];
  const updated = columns.filter((column) => !(key as readonly string[]).includes(column));
  const list = columns.join(', ');
  const sameKey = key.map((column) => `t.${column} = s.${column}`).join(' AND ');
  return [
    `UPDATE ${table} AS t SET ${updated.map((column) => `${column} = s.${column}`).join(', ')}
       FROM ${stagingTable(table)} AS s
      WHERE ${sameKey} AND s.source_updated_at >= t.source_updated_at
        AND (${updated.map((column) => `t.${column}`).join(', ')}) IS DISTINCT FROM (${updated.map((column) => `s.${column}`).join(', ')})`,
    `INSERT INTO ${table} (${list})
     SELECT ${columns.map((column) => `s.${column}`).join(', ')} FROM ${stagingTable(table)} AS s
      WHERE NOT EXISTS (SELECT FROM ${table} AS t WHERE ${sameKey})
      ORDER BY ${key.map((column) => `s.${column}`).join(', ')}`,
  ];
}

/** Every day a loaded fact refers to, with its calendar attributes, from where the facts were loaded. */
function mergeDates(loadedFrom: (table: StagedTable) => string): string {
  return `
  INSERT INTO dim_date (date_key, date, year, quarter, month, day, iso_week, iso_day_of_week)
  SELECT key, d, extract(year FROM d), extract(quarter FROM d), extract(month FROM d), extract(day FROM d), extract(week FROM d), extract(isodow FROM d)
    FROM (SELECT key, to_date(key::text, 'YYYYMMDD') AS d
            FROM (SELECT order_date_key AS key FROM ${loadedFrom('fact_order_item')}
                  UNION SELECT snapshot_date_key FROM ${loadedFrom('fact_inventory_daily')}
                  UNION SELECT allocation_date_key FROM ${loadedFrom('fact_allocation')}
                  UNION SELECT rejection_date_key FROM ${loadedFrom('fact_rejection')}
                  UNION SELECT hold_date_key FROM ${loadedFrom('fact_hold')}
                  UNION SELECT approval_date_key FROM ${loadedFrom('fact_approval')}
                  UNION SELECT cancel_date_key FROM ${loadedFrom('fact_auto_cancel')}
                  UNION SELECT ship_date_key FROM ${loadedFrom('fact_shipment')}
                  UNION SELECT cancel_date_key FROM ${loadedFrom('fact_not_collected')}
                  UNION SELECT return_date_key FROM ${loadedFrom('fact_return')}
                  UNION SELECT receipt_date_key FROM ${loadedFrom('fact_receipt')}) keys) dates
  ON CONFLICT (date_key) DO NOTHING`;
}

/**
 * One run's load into the warehouse, in one transaction on a client of its own. A table that was
 * empty when the load began (a first load, or a backfill into a new warehouse) is loaded by COPY
 * straight into it, with its keys and indexes built after the rows are in: every row is new, so
 * there is nothing to merge, and the rows are written once instead of twice. Any other table gets a
 * temporary staging table to COPY into, merged at the end. Nothing is visible to readers before
 * commit(), and rollback() leaves the warehouse as it was.
 */
export class StarLoad {
  private readonly copies = new Map<StagedTable, CopyStreamQuery>();

  /**
   * @param loadedEmpty the tables that were empty, with the statements that build their keys and
   * indexes again (dropped for the load).
   */
  constructor(
    readonly client: PoolClient,
    private readonly loadedEmpty: ReadonlyMap<StagedTable, string[]>,
  ) {}

  /** The tables that held no row when the load began. */
  get emptyTables(): ReadonlySet<StagedTable> {
    return new Set(this.loadedEmpty.keys());
  }

  /** A COPY ... FROM STDIN into the table itself when it was empty, else into its staging table. */
  copyIn(table: StagedTable): Writable {
    const copy = this.client.query(copyFrom(`COPY ${this.loadedFrom(table)} (${STAR_TABLES[table].columns.join(', ')}) FROM STDIN`));
    this.copies.set(table, copy);
    return copy;
  }

  /** Merges the staged rows into the dimensions and facts; the rows copied straight in count as inserted. */
  async merge(): Promise<RowsPerTable> {
    const staged = STAGED_TABLES.filter((table) => !this.loadedEmpty.has(table));
    // Temporary tables are never analyzed by autovacuum; the merges join them with the targets.
    for (const table of staged) await this.client.query(`ANALYZE ${stagingTable(table)}`);
    const rows = { dim_date: await this.count(mergeDates((table) => this.loadedFrom(table))) } as RowsPerTable;
    for (const table of STAGED_TABLES) {
      const rebuild = this.loadedEmpty.get(table);
      if (rebuild) {
        for (const statement of rebuild) await this.client.query(statement);
        rows[table] = this.copies.get(table)?.rowCount ?? 0;
        continue;
      }
      const [update, insert] = mergeStatements(table);
      rows[table] = (await this.count(update)) + (await this.count(insert));
    }
    return rows;
  }

  private loadedFrom(table: StagedTable): string {
    return this.loadedEmpty.has(table) ? table : stagingTable(table);
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

  /**
   * Opens the load's transaction: locks the loaded tables against other writers (SHARE ROW
   * EXCLUSIVE: readers go on), so that a second load, say of a run taken over from a worker that is
   * not dead after all, waits for this one instead of racing it; drops the keys and indexes of the
   * tables that are empty (which locks readers of those out until commit: they would read nothing
   * yet anyway) and makes a staging table (dropped at the end) for each of the others. `done`
   * releases the client.
   */
  async begin(): Promise<{ load: StarLoad; done: (error?: Error) => void }> {
    const client = await this.warehouse.connect();
    try {
      await client.query('BEGIN');
      await client.query(`LOCK TABLE ${LOADED_TABLES.join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
      const loadedEmpty = new Map<StagedTable, string[]>();
      for (const table of STAGED_TABLES) {
        const { rows } = await client.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT FROM ${table}) AS empty`);
        if (rows[0].empty) loadedEmpty.set(table, await dropKeysAndIndexes(client, table));
        else await client.query(`CREATE TEMPORARY TABLE ${stagingTable(table)} (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DROP`);
      }
      return { load: new StarLoad(client, loadedEmpty), done: (error) => client.release(error) };
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }
}
