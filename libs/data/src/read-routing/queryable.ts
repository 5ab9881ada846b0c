/** What a read needs from a database: the primary's DataSource and a replica's pool both fit. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}
