/** What a read needs from a database: the primary's pool and a replica's both fit. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}
