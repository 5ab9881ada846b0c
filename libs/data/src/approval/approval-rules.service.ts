import { CacheInvalidator, TieredCache } from '@app/cache';
import { InvalidInputError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { cacheTags, invalidatedTags } from '../common/cache-tags';
import { PrimaryDatabase } from '../database/primary-database';
import { OutboxRepository } from '../outbox/outbox.repository';
import { ApprovalRule, approvalRuleOf, approvalRuleProblems } from './approval-rules';
import { ApprovalRulesRepository } from './approval-rules.repository';

/** Entries outlive a missed invalidation by at most this long. */
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_KEY = 'approval-rules';
/** The outbox event of a change names no one aggregate: the rules change as a whole. */
const ALL_RULES = '00000000-0000-0000-0000-000000000000';

/**
 * The approval rules that hold new orders: replaced as a whole, read through the two-tier cache at
 * every order creation, and dropped from it on every instance before a replacement answers.
 */
@Injectable()
export class ApprovalRulesService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly rules: ApprovalRulesRepository,
    private readonly outbox: OutboxRepository,
    private readonly invalidator: CacheInvalidator,
    private readonly cache: TieredCache,
  ) {}

  /** The rules in sequence, as order creation reads them. */
  async current(): Promise<ApprovalRule[]> {
    const local = this.cache.peekLocal(CACHE_KEY);
    if (local !== undefined) return JSON.parse(local) as ApprovalRule[];
    const { body } = await this.cache.readThrough({
      key: CACHE_KEY,
      tags: [cacheTags.approvalRules()],
      ttlMs: CACHE_TTL_MS,
      load: () => this.rules.all(this.db),
    });
    return JSON.parse(body) as ApprovalRule[];
  }

  /** Replaces every rule (a 400 naming each field in error); an empty list approves every order. */
  async replace(body: unknown): Promise<ApprovalRule[]> {
    const problems = approvalRuleProblems(body);
    if (problems.length > 0) throw new InvalidInputError(`invalid request: ${problems.map((problem) => problem.field).join(', ')}`, problems);
    const rules = (body as { rules: ApprovalRule[] }).rules.map(approvalRuleOf);
    await this.db.transaction(async (tx) => {
      await this.rules.replace(tx, rules);
      await this.outbox.enqueue(tx, 'approval_rules.changed', ALL_RULES, { rules: rules.length });
    });
    await this.invalidator.invalidate(invalidatedTags([{ topic: 'approval_rules.changed' }]));
    return rules;
  }
}
