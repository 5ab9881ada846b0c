import { Injectable } from '@nestjs/common';
import { selectColumns } from '../database/select-columns';
import { RoutingGroupRow, RoutingRow, RoutingRuleRow, RoutingRunRow } from '../entities/routing.entity';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import type { RoutingTrigger } from './routing-config';

const GROUP_COLUMNS = selectColumns(RoutingGroupRow);
const ROUTING_COLUMNS = selectColumns(RoutingRow);
const RULE_COLUMNS = selectColumns(RoutingRuleRow);
const RUN_COLUMNS = selectColumns(RoutingRunRow);

/** The partial unique index that lets at most one ACTIVE group have trigger ORDER_APPROVED. */
export const ONE_ACTIVE_APPROVAL_GROUP = 'routing_group_one_active_order_approved';

export type RoutingGroupFields = Pick<RoutingGroupRow, 'name' | 'trigger' | 'cron' | 'status'>;
export type RoutingFields = Pick<RoutingRow, 'name' | 'sequence' | 'status' | 'orderFilters' | 'orderSorts'>;
export type RoutingRuleFields = Pick<
  RoutingRuleRow,
  'name' | 'sequence' | 'status' | 'assignment' | 'inventoryFilters' | 'inventorySorts' | 'unfilledAction'
>;

/** A rule with the group of its routing: what a change of the rule invalidates. */
export type RuleInGroup = RoutingRuleRow & { groupId: string };

const json = (value: unknown) => JSON.stringify(value);

/**
 * SQL of the routing configuration: groups, their routings, the routings' rules, and the runs the
 * engine records. Children come in the order the engine runs them: by sequence, then by age.
 */
@Injectable()
export class RoutingConfigRepository {
  async insertGroup(db: Queryable, group: RoutingGroupFields): Promise<RoutingGroupRow> {
    const [row] = await db.query<RoutingGroupRow>(
      `INSERT INTO routing_group (name, trigger, cron, status) VALUES ($1, $2, $3, $4) RETURNING ${GROUP_COLUMNS}`,
      [group.name, group.trigger, group.cron, group.status],
    );
    return row;
  }

  async findGroup(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<RoutingGroupRow | undefined> {
    const [row] = await db.query<RoutingGroupRow>(`SELECT ${GROUP_COLUMNS} FROM routing_group WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [
      id,
    ]);
    return row;
  }

  /** The ACTIVE groups with this trigger, oldest first (at most one for ORDER_APPROVED). */
  activeGroups(db: Queryable, trigger: RoutingTrigger): Promise<RoutingGroupRow[]> {
    return db.query<RoutingGroupRow>(`SELECT ${GROUP_COLUMNS} FROM routing_group WHERE status = 'ACTIVE' AND trigger = $1 ORDER BY created_at, id`, [
      trigger,
    ]);
  }

  groupsPage(db: Queryable, page: PageRequest): Promise<Page<RoutingGroupRow>> {
    return keysetPage<RoutingGroupRow>(db, { select: GROUP_COLUMNS, from: 'routing_group', filters: [], params: [], direction: 'asc' }, page);
  }

  async updateGroup(db: Queryable, id: string, group: RoutingGroupFields): Promise<RoutingGroupRow | undefined> {
    const [row] = await db.query<RoutingGroupRow>(
      `UPDATE routing_group SET name = $2, trigger = $3, cron = $4, status = $5 WHERE id = $1 RETURNING ${GROUP_COLUMNS}`,
      [id, group.name, group.trigger, group.cron, group.status],
    );
    return row;
  }

  /** Whether the group existed; its routings and their rules go with it. */
  async deleteGroup(db: Queryable, id: string): Promise<boolean> {
    return (await db.query('DELETE FROM routing_group WHERE id = $1 RETURNING 1', [id])).length > 0;
  }

  routingsOf(db: Queryable, groupIds: string[]): Promise<RoutingRow[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return db.query<RoutingRow>(
      `SELECT ${ROUTING_COLUMNS} FROM routing WHERE group_id = ANY($1::uuid[]) ORDER BY group_id, sequence, created_at, id`,
      [groupIds],
    );
  }

  rulesOf(db: Queryable, routingIds: string[]): Promise<RoutingRuleRow[]> {
    if (routingIds.length === 0) return Promise.resolve([]);
    return db.query<RoutingRuleRow>(
      `SELECT ${RULE_COLUMNS} FROM routing_rule WHERE routing_id = ANY($1::uuid[]) ORDER BY routing_id, sequence, created_at, id`,
      [routingIds],
    );
  }

  /** Undefined when the group does not exist. */
  async insertRouting(db: Queryable, groupId: string, routing: RoutingFields): Promise<RoutingRow | undefined> {
    const [row] = await db.query<RoutingRow>(
      `INSERT INTO routing (group_id, name, sequence, status, order_filters, order_sorts)
       SELECT id, $2, $3, $4, $5::jsonb, $6::jsonb FROM routing_group WHERE id = $1
       RETURNING ${ROUTING_COLUMNS}`,
      [groupId, routing.name, routing.sequence, routing.status, json(routing.orderFilters), json(routing.orderSorts)],
    );
    return row;
  }

  async findRouting(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<RoutingRow | undefined> {
    const [row] = await db.query<RoutingRow>(`SELECT ${ROUTING_COLUMNS} FROM routing WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [id]);
    return row;
  }

  async updateRouting(db: Queryable, id: string, routing: RoutingFields): Promise<RoutingRow | undefined> {
    const [row] = await db.query<RoutingRow>(
      `UPDATE routing SET name = $2, sequence = $3, status = $4, order_filters = $5::jsonb, order_sorts = $6::jsonb
        WHERE id = $1 RETURNING ${ROUTING_COLUMNS}`,
      [id, routing.name, routing.sequence, routing.status, json(routing.orderFilters), json(routing.orderSorts)],
    );
    return row;
  }

  /** The group of the deleted routing (whose rules go with it); undefined when there was none. */
  async deleteRouting(db: Queryable, id: string): Promise<string | undefined> {
    const [row] = await db.query<{ groupId: string }>('DELETE FROM routing WHERE id = $1 RETURNING group_id AS "groupId"', [id]);
    return row?.groupId;
  }

  /** Undefined when the routing does not exist. */
  async insertRule(db: Queryable, routingId: string, rule: RoutingRuleFields): Promise<RoutingRuleRow | undefined> {
    const [row] = await db.query<RoutingRuleRow>(
      `INSERT INTO routing_rule (routing_id, name, sequence, status, assignment, inventory_filters, inventory_sorts, unfilled_action)
       SELECT id, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb FROM routing WHERE id = $1
       RETURNING ${RULE_COLUMNS}`,
      [
        routingId,
        rule.name,
        rule.sequence,
        rule.status,
        rule.assignment,
        json(rule.inventoryFilters),
        json(rule.inventorySorts),
        json(rule.unfilledAction),
      ],
    );
    return row;
  }

  /** The rule, locked, with the group of its routing. */
  async lockRule(db: Queryable, id: string): Promise<RuleInGroup | undefined> {
    const [row] = await db.query<RuleInGroup>(
      `SELECT ${RULE_COLUMNS}, (SELECT group_id FROM routing WHERE routing.id = routing_rule.routing_id) AS "groupId"
         FROM routing_rule WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  async updateRule(db: Queryable, id: string, rule: RoutingRuleFields): Promise<RoutingRuleRow | undefined> {
    const [row] = await db.query<RoutingRuleRow>(
      `UPDATE routing_rule SET name = $2, sequence = $3, status = $4, assignment = $5, inventory_filters = $6::jsonb,
              inventory_sorts = $7::jsonb, unfilled_action = $8::jsonb
        WHERE id = $1 RETURNING ${RULE_COLUMNS}`,
      [id, rule.name, rule.sequence, rule.status, rule.assignment, json(rule.inventoryFilters), json(rule.inventorySorts), json(rule.unfilledAction)],
    );
    return row;
  }

  /** The group of the deleted rule's routing; undefined when there was no such rule. */
  async deleteRule(db: Queryable, id: string): Promise<string | undefined> {
    const [row] = await db.query<{ groupId: string }>(
      `DELETE FROM routing_rule USING routing WHERE routing_rule.id = $1 AND routing.id = routing_rule.routing_id RETURNING routing.group_id AS "groupId"`,
      [id],
    );
    return row?.groupId;
  }

  /** The newest runs first, of one group or of all. */
  runs(db: Queryable, query: { groupId?: string; limit: number }): Promise<RoutingRunRow[]> {
    return query.groupId === undefined
      ? db.query<RoutingRunRow>(`SELECT ${RUN_COLUMNS} FROM routing_run ORDER BY started_at DESC, id DESC LIMIT $1`, [query.limit])
      : db.query<RoutingRunRow>(`SELECT ${RUN_COLUMNS} FROM routing_run WHERE group_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, [
          query.groupId,
          query.limit,
        ]);
  }
}
