import { decodeCursor, encodeCursor, KeysetIdType } from '../common/keyset-cursor';
import type { Queryable } from './queryable';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface KeysetQuery {
  /** Column list of the rows to return; the table must have created_at and id. */
  select: string;
  from: string;
  filters: string[];
  params: unknown[];
  direction: 'asc' | 'desc';
  /** uuid unless said. */
  idType?: KeysetIdType;
}

/**
 * One page ordered by (created_at, id), continuing strictly after the cursor: rows inserted while
 * a client pages never make it skip or repeat a row that existed when it started.
 */
export async function keysetPage<T extends { id: string }>(db: Queryable, query: KeysetQuery, page: PageRequest): Promise<Page<T>> {
  const params = [...query.params];
  const filters = [...query.filters];
  if (page.cursor) {
    const idType = query.idType ?? 'uuid';
    const position = decodeCursor(page.cursor, idType);
    params.push(position.createdAt, position.id);
    const comparison = query.direction === 'asc' ? '>' : '<';
    filters.push(`(created_at, id) ${comparison} ($${params.length - 1}::timestamptz, $${params.length}::${idType})`);
  }
  const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
  params.push(page.limit + 1);
  const rows = await db.query<T & { cursorTs: string }>(
    `SELECT ${query.select}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorTs"
       FROM ${query.from} ${where}
      ORDER BY created_at ${query.direction}, id ${query.direction}
      LIMIT $${params.length}`,
    params,
  );
  const hasMore = rows.length > page.limit;
  const pageRows = hasMore ? rows.slice(0, page.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(({ cursorTs: _cursor, ...item }) => item as unknown as T),
    nextCursor: hasMore && last ? encodeCursor({ createdAt: last.cursorTs, id: last.id }) : null,
  };
}
