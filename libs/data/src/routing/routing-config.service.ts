import { Injectable } from '@nestjs/common';
import { CacheInvalidator, TieredCache } from '@app/cache';
import { ConflictError, InvalidInputError, NotFoundError } from '@app/platform';
import { cacheTags, invalidatedTags } from '../common/cache-tags';
import { violatesConstraint } from '../common/postgres-errors';
import { PrimaryDatabase } from '../database/primary-database';
import type { RoutingGroupRow, RoutingRow, RoutingRuleRow, RoutingRunRow } from '../entities/routing.entity';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import type { Condition, Routing, RoutingGroup, RoutingRule, RoutingRun, RoutingTrigger, Sort, UnfilledAction } from './routing-config';
import {
  ONE_ACTIVE_APPROVAL_GROUP,
  RoutingConfigRepository,
  RoutingFields,
  RoutingGroupFields,
  RoutingRuleFields,
} from './routing-config.repository';
import { cronProblem, RoutingProblem, routingProblems, ruleProblems } from './routing-validation';

/** A new group: `cron` with SCHEDULE only. */
export type NewRoutingGroup = Omit<RoutingGroupFields, 'cron'> & { cron?: string | null };
/** Changes to a group; moving it to ORDER_APPROVED drops its cron unless `cron` is given too. */
export type RoutingGroupChanges = Partial<NewRoutingGroup>;
/** A new routing: no filters (every order) and no sorts (by order date) unless given. */
export type NewRouting = Omit<RoutingFields, 'orderFilters' | 'orderSorts'> & Partial<Pick<RoutingFields, 'orderFilters' | 'orderSorts'>>;
export type RoutingChanges = Partial<RoutingFields>;
/** A new rule: no filters, no sorts and NEXT_RULE unless given. */
export type NewRoutingRule = Omit<RoutingRuleFields, 'inventoryFilters' | 'inventorySorts' | 'unfilledAction'> &
  Partial<Pick<RoutingRuleFields, 'inventoryFilters' | 'inventorySorts' | 'unfilledAction'>>;
export type RoutingRuleChanges = Partial<RoutingRuleFields>;

/** Entries outlive a missed invalidation by at most this long. */
const CACHE_TTL_MS = 5 * 60_000;
const ACTIVE_APPROVAL_GROUP_CONFLICT = 'another ACTIVE group has trigger ORDER_APPROVED: pause it first (there is at most one)';

const conditionOf = <F extends string>({ field, operator, value }: Condition<F>): Condition<F> => ({ field, operator, value });
const sortOf = <F extends string>({ field, direction }: Sort<F>): Sort<F> => ({ field, direction });
const unfilledActionOf = ({ type, queue, days }: UnfilledAction): UnfilledAction => ({
  type,
  ...(queue === undefined ? {} : { queue }),
  ...(days === undefined ? {} : { days }),
});

function ruleOf(row: RoutingRuleRow): RoutingRule {
  const { id, name, sequence, status, assignment, inventoryFilters, inventorySorts, unfilledAction } = row;
  return { id, name, sequence, status, assignment, inventoryFilters, inventorySorts, unfilledAction };
}

function routingOf(row: RoutingRow, rules: RoutingRuleRow[]): Routing {
  const { id, name, sequence, status, orderFilters, orderSorts } = row;
  return { id, name, sequence, status, orderFilters, orderSorts, rules: rules.map(ruleOf) };
}

function runOf(row: RoutingRunRow): RoutingRun {
  return { ...row };
}

/**
 * The routing configuration: its CRUD (validated as a whole where a change depends on what is
 * stored), and the reads of the routing engine, through the two-tier cache. Every write
 * invalidates the whole configuration on every instance before it answers (and again through the
 * outbox relay), so the next batch routes by it.
 */
@Injectable()
export class RoutingConfigService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly config: RoutingConfigRepository,
    private readonly outbox: OutboxRepository,
    private readonly invalidator: CacheInvalidator,
    private readonly cache: TieredCache,
  ) {}

  // The engine's reads, cached.

  /** The one ACTIVE group that routes approved orders, or null when there is none. */
  activeGroup(trigger: Extract<RoutingTrigger, 'ORDER_APPROVED'>): Promise<RoutingGroup | null> {
    return this.cached(`routing:active:${trigger}`, async () => {
      const [group] = await this.config.activeGroups(this.db, trigger);
      return group === undefined ? null : (await this.whole(this.db, [group]))[0];
    });
  }

  /** The ACTIVE SCHEDULE groups, oldest first: what the schedules run. */
  scheduledGroups(): Promise<RoutingGroup[]> {
    return this.cached('routing:active:SCHEDULE', async () => this.whole(this.db, await this.config.activeGroups(this.db, 'SCHEDULE')));
  }

  /** A group whole, whatever its status, or null when there is no such group. */
  group(id: string): Promise<RoutingGroup | null> {
    return this.cached(`routing:group:${id.toLowerCase()}`, async () => {
      const group = await this.config.findGroup(this.db, id);
      return group === undefined ? null : (await this.whole(this.db, [group]))[0];
    });
  }

  // Administration.

  /** A group whole, as the engine sees it; 404 when there is none. */
  async getGroup(id: string): Promise<RoutingGroup> {
    const group = await this.group(id);
    if (group === null) throw new NotFoundError(`routing group ${id} not found`);
    return group;
  }

  async listGroups(page: PageRequest): Promise<Page<RoutingGroup>> {
    const groups = await this.config.groupsPage(this.db, page);
    return { items: await this.whole(this.db, groups.items), nextCursor: groups.nextCursor };
  }

  async createGroup(input: NewRoutingGroup): Promise<RoutingGroup> {
    const fields = checkedGroup({ ...input, cron: input.cron ?? null });
    return this.write(async (tx) => {
      const group = await refuseSecondApprovalGroup(this.config.insertGroup(tx, fields));
      return { groupId: group.id, result: { ...groupOf(group), routings: [] } };
    });
  }

  async updateGroup(id: string, changes: RoutingGroupChanges): Promise<RoutingGroup> {
    return this.write(async (tx) => {
      const stored = this.found('routing group', id, await this.config.findGroup(tx, id, { lock: true }));
      const trigger = changes.trigger ?? stored.trigger;
      const cron = changes.cron !== undefined ? changes.cron : trigger === 'ORDER_APPROVED' ? null : stored.cron;
      const fields = checkedGroup({
        name: changes.name ?? stored.name,
        trigger,
        cron,
        status: changes.status ?? stored.status,
      });
      const group = await refuseSecondApprovalGroup(this.config.updateGroup(tx, id, fields));
      return { groupId: id, result: (await this.whole(tx, [this.found('routing group', id, group)]))[0] };
    });
  }

  async deleteGroup(id: string): Promise<void> {
    await this.write(async (tx) => {
      if (!(await this.config.deleteGroup(tx, id))) throw new NotFoundError(`routing group ${id} not found`);
      return { groupId: id, result: undefined };
    });
  }

  async addRouting(groupId: string, input: NewRouting): Promise<Routing> {
    const fields = checkedRouting({ ...input, orderFilters: input.orderFilters ?? [], orderSorts: input.orderSorts ?? [] });
    return this.write(async (tx) => {
      const routing = this.found('routing group', groupId, await this.config.insertRouting(tx, groupId, fields));
      return { groupId, result: routingOf(routing, []) };
    });
  }

  async updateRouting(id: string, changes: RoutingChanges): Promise<Routing> {
    return this.write(async (tx) => {
      const stored = this.found('routing', id, await this.config.findRouting(tx, id, { lock: true }));
      const routing = await this.config.updateRouting(tx, id, checkedRouting({ ...stored, ...defined(changes) }));
      const rules = await this.config.rulesOf(tx, [id]);
      return { groupId: stored.groupId, result: routingOf(this.found('routing', id, routing), rules) };
    });
  }

  async deleteRouting(id: string): Promise<void> {
    await this.write(async (tx) => {
      const groupId = await this.config.deleteRouting(tx, id);
      if (groupId === undefined) throw new NotFoundError(`routing ${id} not found`);
      return { groupId, result: undefined };
    });
  }

  async addRule(routingId: string, input: NewRoutingRule): Promise<RoutingRule> {
    const fields = checkedRule({
      ...input,
      inventoryFilters: input.inventoryFilters ?? [],
      inventorySorts: input.inventorySorts ?? [],
      unfilledAction: input.unfilledAction ?? { type: 'NEXT_RULE' },
    });
    return this.write(async (tx) => {
      const routing = this.found('routing', routingId, await this.config.findRouting(tx, routingId));
      const rule = this.found('routing', routingId, await this.config.insertRule(tx, routingId, fields));
      return { groupId: routing.groupId, result: ruleOf(rule) };
    });
  }

  async updateRule(id: string, changes: RoutingRuleChanges): Promise<RoutingRule> {
    return this.write(async (tx) => {
      const stored = this.found('routing rule', id, await this.config.lockRule(tx, id));
      const rule = await this.config.updateRule(tx, id, checkedRule({ ...stored, ...defined(changes) }));
      return { groupId: stored.groupId, result: ruleOf(this.found('routing rule', id, rule)) };
    });
  }

  async deleteRule(id: string): Promise<void> {
    await this.write(async (tx) => {
      const groupId = await this.config.deleteRule(tx, id);
      if (groupId === undefined) throw new NotFoundError(`routing rule ${id} not found`);
      return { groupId, result: undefined };
    });
  }

  /** The newest runs first, of one group or of all. */
  async listRuns(query: { groupId?: string; limit: number }): Promise<RoutingRun[]> {
    return (await this.config.runs(this.db, query)).map(runOf);
  }

  /**
   * One change in one transaction with its outbox event, then the cache dropped on every instance
   * before the caller answers: the next read anywhere (and the next batch) sees the change.
   */
  private async write<T>(change: (tx: Queryable) => Promise<{ groupId: string; result: T }>): Promise<T> {
    const { result } = await this.db.transaction(async (tx) => {
      const done = await change(tx);
      await this.outbox.enqueue(tx, 'routing.changed', done.groupId, { groupId: done.groupId });
      return done;
    });
    await this.invalidator.invalidate(invalidatedTags([{ topic: 'routing.changed' }]));
    return result;
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const local = this.cache.peekLocal(key);
    if (local !== undefined) return JSON.parse(local) as T;
    const { body } = await this.cache.readThrough({ key, tags: [cacheTags.routing()], ttlMs: CACHE_TTL_MS, load });
    return JSON.parse(body) as T;
  }

  /** The groups with their routings and rules, each in sequence. */
  private async whole(db: Queryable, groups: RoutingGroupRow[]): Promise<RoutingGroup[]> {
    const routings = await this.config.routingsOf(
      db,
      groups.map((group) => group.id),
    );
    const rules = await this.config.rulesOf(
      db,
      routings.map((routing) => routing.id),
    );
    return groups.map((group) => ({
      ...groupOf(group),
      routings: routings
        .filter((routing) => routing.groupId === group.id)
        .map((routing) =>
          routingOf(
            routing,
            rules.filter((rule) => rule.routingId === routing.id),
          ),
        ),
    }));
  }

  private found<T>(what: string, id: string, row: T | undefined): T {
    if (row === undefined) throw new NotFoundError(`${what} ${id} not found`);
    return row;
  }
}

function groupOf({ id, name, trigger, cron, status }: RoutingGroupRow): Omit<RoutingGroup, 'routings'> {
  return { id, name, trigger, cron, status };
}

/** The properties a change sets (undefined leaves one as it is). */
function defined<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** A group as it will be stored: `cron` exactly with SCHEDULE, and one the schedulers can keep. */
function checkedGroup(group: RoutingGroupFields): RoutingGroupFields {
  const problem =
    group.trigger === 'SCHEDULE'
      ? group.cron === null
        ? 'is required with SCHEDULE'
        : cronProblem(group.cron)
      : group.cron === null
        ? undefined
        : 'is only for SCHEDULE groups';
  if (problem !== undefined) refuse([{ field: 'cron', message: problem }]);
  return { name: group.name, trigger: group.trigger, cron: group.cron, status: group.status };
}

function refuse(problems: RoutingProblem[]): void {
  if (problems.length > 0) throw new InvalidInputError(`invalid request: ${problems.map((problem) => problem.field).join(', ')}`, problems);
}

function checkedRouting(routing: RoutingFields): RoutingFields {
  refuse(routingProblems(routing));
  return {
    name: routing.name,
    sequence: routing.sequence,
    status: routing.status,
    orderFilters: routing.orderFilters.map(conditionOf),
    orderSorts: routing.orderSorts.map(sortOf),
  };
}

function checkedRule(rule: RoutingRuleFields): RoutingRuleFields {
  refuse(ruleProblems(rule));
  return {
    name: rule.name,
    sequence: rule.sequence,
    status: rule.status,
    assignment: rule.assignment,
    inventoryFilters: rule.inventoryFilters.map(conditionOf),
    inventorySorts: rule.inventorySorts.map(sortOf),
    unfilledAction: unfilledActionOf(rule.unfilledAction),
  };
}

async function refuseSecondApprovalGroup<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (violatesConstraint(error, ONE_ACTIVE_APPROVAL_GROUP)) throw new ConflictError(ACTIVE_APPROVAL_GROUP_CONFLICT);
    throw error;
  }
}
