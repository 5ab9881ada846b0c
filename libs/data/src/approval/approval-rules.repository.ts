import { Injectable } from '@nestjs/common';
import type { Queryable } from '../read-routing/queryable';
import type { ApprovalRule } from './approval-rules';

@Injectable()
export class ApprovalRulesRepository {
  async all(db: Queryable): Promise<ApprovalRule[]> {
    return db.query<ApprovalRule>('SELECT name, conditions AS "when", hold_reason AS "holdReason" FROM approval_rule ORDER BY sequence');
  }

  /** Replaces every rule, in the order given; the table is locked so that concurrent replacements apply one after the other. */
  async replace(tx: Queryable, rules: ApprovalRule[]): Promise<void> {
    await tx.query('LOCK TABLE approval_rule IN EXCLUSIVE MODE');
    await tx.query('DELETE FROM approval_rule');
    if (rules.length === 0) return;
    await tx.query(
      `INSERT INTO approval_rule (sequence, name, conditions, hold_reason)
       SELECT n - 1, name, conditions, hold_reason FROM unnest($1::text[], $2::jsonb[], $3::text[]) WITH ORDINALITY AS r(name, conditions, hold_reason, n)`,
      [rules.map((rule) => rule.name), rules.map((rule) => JSON.stringify(rule.when)), rules.map((rule) => rule.holdReason)],
    );
  }
}
