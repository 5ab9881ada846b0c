import type { PoolClient } from 'pg';

/**
 * A table's keys (primary and unique constraints) and other indexes, as the statements that drop
 * them and those that build them again. Built once after a bulk load into an empty table they cost
 * a fraction of being kept up row by row (the fact keys are random UUIDs).
 */
const KEYS_AND_INDEXES = `
  SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', $1::text, c.conname) AS drop,
         format('ALTER TABLE %I ADD CONSTRAINT %I %s', $1::text, c.conname, pg_get_constraintdef(c.oid)) AS build, 0 AS step
    FROM pg_constraint c
   WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u')
  UNION ALL
  SELECT format('DROP INDEX %I.%I', n.nspname, i.relname), pg_get_indexdef(i.oid), 1
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = i.relnamespace
   WHERE x.indrelid = $1::regclass
     AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid)
   ORDER BY step`;

/** Drops the table's keys and indexes (in the caller's transaction); returns the statements that build them again. */
export async function dropKeysAndIndexes(client: PoolClient, table: string): Promise<string[]> {
  const { rows } = await client.query<{ drop: string; build: string }>(KEYS_AND_INDEXES, [table]);
  for (const { drop } of rows) await client.query(drop);
  return rows.map((row) => row.build);
}
