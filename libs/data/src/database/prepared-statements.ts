import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

/** Distinct statements prepared per process at most; SQL beyond them runs unprepared, so generated SQL cannot grow every connection's plan cache without bound. */
const MAX_PREPARED_STATEMENTS = 1000;

/**
 * Turns parameterised SQL into a named prepared statement, so that PostgreSQL parses and plans
 * each statement once per connection instead of on every call (node-postgres prepares a name the
 * first time a connection runs it). SQL without parameters stays a simple query: it may hold
 * several statements, which a prepared statement cannot.
 */
export class PreparedStatements {
  private readonly names = new Map<string, string>();

  constructor(private readonly limit = MAX_PREPARED_STATEMENTS) {}

  config(sql: string, params?: unknown[]): QueryConfig {
    if (params === undefined || params.length === 0) return { text: sql };
    const name = this.nameOf(sql);
    return name === undefined ? { text: sql, values: params } : { name, text: sql, values: params };
  }

  private nameOf(sql: string): string | undefined {
    const known = this.names.get(sql);
    if (known !== undefined || this.names.size >= this.limit) return known;
    const name = `oms_${createHash('sha256').update(sql).digest('base64url').slice(0, 22)}`;
    this.names.set(sql, name);
    return name;
  }
}
