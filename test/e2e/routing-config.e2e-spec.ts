import { randomUUID } from 'node:crypto';
import {
  ADMIN_HEADERS,
  ApiFixture,
  ApiResponse,
  documentedRequest,
  expectErrorBody,
  expectValidationError,
  httpRequest,
  Page,
  RequestBody,
  startApi,
} from '../support/api-fixture';

interface Rule {
  id: string;
  name: string;
  sequence: number;
  status: string;
  assignment: string;
  inventoryFilters: unknown[];
  inventorySorts: unknown[];
  unfilledAction: { type: string; queue?: string; days?: number };
}

interface Routing {
  id: string;
  name: string;
  sequence: number;
  status: string;
  orderFilters: unknown[];
  orderSorts: unknown[];
  rules: Rule[];
}

interface Group {
  id: string;
  name: string;
  trigger: string;
  cron: string | null;
  status: string;
  routings: Routing[];
}

interface Run {
  id: string;
  groupId: string | null;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  ordersConsidered: number;
  itemsAllocated: number;
  itemsUnfilled: number;
  byRule: { ruleId: string; itemsAllocated: number }[];
}

type RoutingApi = <T = Record<string, unknown>>(method: string, path: string, body?: RequestBody) => Promise<ApiResponse<T>>;

/** The routing configuration API of one instance (internal port, admin token), checked against the internal OpenAPI document. */
const routingApi =
  (internalUrl: string): RoutingApi =>
  (method, path, body) =>
    documentedRequest(`${internalUrl}/internal/routing${path}`, method, body, ADMIN_HEADERS);

/** The value of one sample of the instance's /metrics (0 when absent). */
async function metric(internalUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${internalUrl}/metrics`, { headers: ADMIN_HEADERS })).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

const UNKNOWN_ID = randomUUID();
const NEAREST = [{ field: 'distance', direction: 'asc' }];
const rule = (overrides: Record<string, unknown> = {}) => ({ name: 'rule', sequence: 10, status: 'ACTIVE', assignment: 'SINGLE', ...overrides });
const routing = (overrides: Record<string, unknown> = {}) => ({ name: 'routing', sequence: 10, status: 'ACTIVE', ...overrides });

describe('routing configuration: groups, routings and rules on the internal port', () => {
  let f: ApiFixture;
  let api: RoutingApi;

  beforeAll(async () => {
    f = await startApi('routing');
    api = routingApi(f.internalUrl);
  });

  afterAll(async () => {
    await f?.stop();
  });

  const defaultGroup = async () => (await api<Page<Group>>('GET', '/groups')).body.items.find((group) => group.name === 'Default')!;
  const schedule = async (name = 'nightly') => {
    const created = await api<Group>('POST', '/groups', { name, trigger: 'SCHEDULE', cron: '0 2 * * *', status: 'ACTIVE' });
    expect(created.status).toBe(201);
    return created.body;
  };
  const counts = async () =>
    (
      await f.sql<{ counts: string }>(
        `SELECT concat_ws('|', (SELECT count(*) FROM routing_group), (SELECT count(*) FROM routing), (SELECT count(*) FROM routing_rule),
                (SELECT max(updated_at)::text FROM routing_group), (SELECT max(updated_at)::text FROM routing),
                (SELECT max(updated_at)::text FROM routing_rule)) AS counts`,
      )
    )[0].counts;

  it('seeds the default group: nearest facility with every item, else split over the nearest, else backorder', async () => {
    const listed = await api<Page<Group>>('GET', '/groups');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [expect.any(Object)], nextCursor: null });
    const [group] = listed.body.items;
    expect(group).toEqual({
      id: expect.any(String),
      name: 'Default',
      trigger: 'ORDER_APPROVED',
      cron: null,
      status: 'ACTIVE',
      routings: [
        {
          id: expect.any(String),
          name: 'All orders',
          sequence: 10,
          status: 'ACTIVE',
          orderFilters: [],
          orderSorts: [{ field: 'orderDate', direction: 'asc' }],
          rules: [
            {
              id: expect.any(String),
              name: 'Nearest facility with every item',
              sequence: 10,
              status: 'ACTIVE',
              assignment: 'SINGLE',
              inventoryFilters: [],
              inventorySorts: NEAREST,
              unfilledAction: { type: 'NEXT_RULE' },
            },
            {
              id: expect.any(String),
              name: 'Split over the nearest facilities',
              sequence: 20,
              status: 'ACTIVE',
              assignment: 'MULTI',
              inventoryFilters: [],
              inventorySorts: NEAREST,
              unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'BACKORDER' },
            },
          ],
        },
      ],
    });
    expect((await api<Group>('GET', `/groups/${group.id}`)).body).toEqual(group);
  });

  it('creates a group, routings and rules, and returns them whole, each sorted by sequence', async () => {
    const group = await schedule();
    expect(group).toEqual({ id: expect.any(String), name: 'nightly', trigger: 'SCHEDULE', cron: '0 2 * * *', status: 'ACTIVE', routings: [] });

    const late = await api<Routing>('POST', `/groups/${group.id}/routings`, routing({ name: 'late', sequence: 20 }));
    expect(late.status).toBe(201);
    expect(late.body).toEqual({ id: expect.any(String), name: 'late', sequence: 20, status: 'ACTIVE', orderFilters: [], orderSorts: [], rules: [] });
    const express = await api<Routing>(
      'POST',
      `/groups/${group.id}/routings`,
      routing({
        name: 'express',
        sequence: 10,
        status: 'DRAFT',
        orderFilters: [
          { field: 'shippingMethod', operator: 'in', value: ['EXPRESS', 'NEXT_DAY'] },
          { field: 'priority', operator: 'greater-equals', value: 7 },
          { field: 'queue', operator: 'equals', value: 'BACKORDER' },
        ],
        orderSorts: [
          { field: 'priority', direction: 'desc' },
          { field: 'orderDate', direction: 'asc' },
        ],
      }),
    );
    expect(express.status).toBe(201);

    const split = await api<Rule>(
      'POST',
      `/routings/${express.body.id}/rules`,
      rule({
        name: 'split',
        sequence: 5,
        assignment: 'MULTI',
        inventorySorts: [{ field: 'inventoryBalance', direction: 'desc' }],
        unfilledAction: { type: 'AUTO_CANCEL_DAYS', days: 3 },
      }),
    );
    expect(split.status).toBe(201);
    expect(split.body).toEqual({
      id: expect.any(String),
      name: 'split',
      sequence: 5,
      status: 'ACTIVE',
      assignment: 'MULTI',
      inventoryFilters: [],
      inventorySorts: [{ field: 'inventoryBalance', direction: 'desc' }],
      unfilledAction: { type: 'AUTO_CANCEL_DAYS', days: 3 },
    });
    const stores = await api<Rule>(
      'POST',
      `/routings/${express.body.id}/rules`,
      rule({
        name: 'stores nearby',
        sequence: 1,
        inventoryFilters: [
          { field: 'facilityGroup', operator: 'in', value: ['NY-STORES'] },
          { field: 'distanceKm', operator: 'less-equals', value: 50.5 },
          { field: 'allItemsAvailable', operator: 'equals', value: true },
        ],
        inventorySorts: [
          { field: 'facilitySequence', direction: 'asc' },
          { field: 'distance', direction: 'asc' },
        ],
        unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'STORE-REVIEW' },
      }),
    );
    expect(stores.status).toBe(201);
    expect((await api<Rule>('POST', `/routings/${express.body.id}/rules`, rule({ name: 'last', sequence: 9 }))).body.unfilledAction).toEqual({
      type: 'NEXT_RULE',
    });

    const whole = (await api<Group>('GET', `/groups/${group.id}`)).body;
    expect(whole.routings.map((r) => [r.name, r.sequence])).toEqual([
      ['express', 10],
      ['late', 20],
    ]);
    expect(whole.routings[0].rules.map((r) => [r.name, r.sequence])).toEqual([
      ['stores nearby', 1],
      ['split', 5],
      ['last', 9],
    ]);
    expect(whole.routings[0]).toEqual({ ...express.body, rules: whole.routings[0].rules });
    expect(whole.routings[0].rules[0]).toEqual(stores.body);
    expect(whole.routings[0].orderFilters).toEqual([
      { field: 'shippingMethod', operator: 'in', value: ['EXPRESS', 'NEXT_DAY'] },
      { field: 'priority', operator: 'greater-equals', value: 7 },
      { field: 'queue', operator: 'equals', value: 'BACKORDER' },
    ]);
    const listed = (await api<Page<Group>>('GET', '/groups')).body.items;
    expect(listed.find((candidate) => candidate.id === group.id)).toEqual(whole);
  });

  it('changes and deletes groups, routings and rules', async () => {
    const group = await schedule('to change');
    const first = (await api<Routing>('POST', `/groups/${group.id}/routings`, routing({ name: 'first', sequence: 1 }))).body;
    const second = (await api<Routing>('POST', `/groups/${group.id}/routings`, routing({ name: 'second', sequence: 2 }))).body;
    const kept = (await api<Rule>('POST', `/routings/${first.id}/rules`, rule({ name: 'kept', sequence: 1 }))).body;
    const dropped = (await api<Rule>('POST', `/routings/${first.id}/rules`, rule({ name: 'dropped', sequence: 2 }))).body;

    const renamed = await api<Group>('PATCH', `/groups/${group.id}`, { name: 'changed', cron: '*/30 * * * * *', status: 'PAUSED' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'changed', trigger: 'SCHEDULE', cron: '*/30 * * * * *', status: 'PAUSED' });
    expect(renamed.body.routings.map((r) => r.name)).toEqual(['first', 'second']);

    const moved = await api<Routing>('PATCH', `/routings/${first.id}`, {
      sequence: 3,
      orderFilters: [{ field: 'tag', operator: 'equals', value: 'vip' }],
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ ...first, sequence: 3, orderFilters: [{ field: 'tag', operator: 'equals', value: 'vip' }], rules: [kept, dropped] });
    expect((await api<Group>('GET', `/groups/${group.id}`)).body.routings.map((r) => r.name)).toEqual(['second', 'first']);

    const changed = await api<Rule>('PATCH', `/rules/${kept.id}`, { status: 'DRAFT', unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'LATER' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...kept, status: 'DRAFT', unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'LATER' } });
    expect((await api<Rule>('PATCH', `/rules/${kept.id}`, { unfilledAction: { type: 'NEXT_RULE' } })).body.unfilledAction).toEqual({
      type: 'NEXT_RULE',
    });

    expect((await api('DELETE', `/rules/${dropped.id}`)).status).toBe(204);
    expectErrorBody(await api('DELETE', `/rules/${dropped.id}`), 404);
    expect((await api<Group>('GET', `/groups/${group.id}`)).body.routings[1].rules.map((r) => r.name)).toEqual(['kept']);

    expect((await api('DELETE', `/routings/${first.id}`)).status).toBe(204);
    expectErrorBody(await api('PATCH', `/rules/${kept.id}`, { name: 'gone with its routing' }), 404);
    expect((await api<Group>('GET', `/groups/${group.id}`)).body.routings.map((r) => r.name)).toEqual(['second']);

    expect((await api('DELETE', `/groups/${group.id}`)).status).toBe(204);
    expectErrorBody(await api('GET', `/groups/${group.id}`), 404);
    expectErrorBody(await api('PATCH', `/routings/${second.id}`, { name: 'gone with its group' }), 404);
    expect(await f.sql('SELECT 1 FROM routing WHERE group_id = $1', [group.id])).toEqual([]);
  });

  it('answers 404 for an unknown group, routing or rule', async () => {
    expectErrorBody(await api('GET', `/groups/${UNKNOWN_ID}`), 404);
    expectErrorBody(await api('PATCH', `/groups/${UNKNOWN_ID}`, { name: 'x' }), 404);
    expectErrorBody(await api('DELETE', `/groups/${UNKNOWN_ID}`), 404);
    expectErrorBody(await api('POST', `/groups/${UNKNOWN_ID}/routings`, routing()), 404);
    expectErrorBody(await api('PATCH', `/routings/${UNKNOWN_ID}`, { name: 'x' }), 404);
    expectErrorBody(await api('DELETE', `/routings/${UNKNOWN_ID}`), 404);
    expectErrorBody(await api('POST', `/routings/${UNKNOWN_ID}/rules`, rule()), 404);
    expectErrorBody(await api('PATCH', `/rules/${UNKNOWN_ID}`, { name: 'x' }), 404);
    expectErrorBody(await api('DELETE', `/rules/${UNKNOWN_ID}`), 404);
    expectValidationError(await api('GET', '/groups/not-a-uuid'));
  });

  it('keeps at most one ACTIVE ORDER_APPROVED group: a second is a 409, by POST or PATCH', async () => {
    const original = await defaultGroup();
    const before = await counts();
    expectErrorBody(await api('POST', '/groups', { name: 'second', trigger: 'ORDER_APPROVED', status: 'ACTIVE' }), 409);
    expect(await counts()).toBe(before);

    const paused = await api<Group>('POST', '/groups', { name: 'standby', trigger: 'ORDER_APPROVED', status: 'PAUSED' });
    expect(paused.status).toBe(201);
    expectErrorBody(await api('PATCH', `/groups/${paused.body.id}`, { status: 'ACTIVE' }), 409);
    const scheduled = await schedule('would take over');
    expectErrorBody(await api('PATCH', `/groups/${scheduled.id}`, { trigger: 'ORDER_APPROVED' }), 409);
    expect((await api<Group>('GET', `/groups/${scheduled.id}`)).body).toMatchObject({ trigger: 'SCHEDULE', cron: '0 2 * * *' });

    // Pausing the active one lets another take over; moving a SCHEDULE group to ORDER_APPROVED drops its cron.
    expect((await api('PATCH', `/groups/${original.id}`, { status: 'PAUSED' })).status).toBe(200);
    const takenOver = await api<Group>('PATCH', `/groups/${scheduled.id}`, { trigger: 'ORDER_APPROVED' });
    expect(takenOver.status).toBe(200);
    expect(takenOver.body).toMatchObject({ trigger: 'ORDER_APPROVED', cron: null, status: 'ACTIVE' });
    expectErrorBody(await api('PATCH', `/groups/${original.id}`, { status: 'ACTIVE' }), 409);
    expect((await api('DELETE', `/groups/${scheduled.id}`)).status).toBe(204);
    expect((await api('DELETE', `/groups/${paused.body.id}`)).status).toBe(204);
    expect((await api<Group>('PATCH', `/groups/${original.id}`, { status: 'ACTIVE' })).body).toEqual(original);
  });

  it.each([
    ['a SCHEDULE group without cron', 'cron', { name: 'g', trigger: 'SCHEDULE', status: 'ACTIVE' }],
    ['a cron of 4 fields', 'cron', { name: 'g', trigger: 'SCHEDULE', cron: '* * * *', status: 'ACTIVE' }],
    ['a cron of 7 fields', 'cron', { name: 'g', trigger: 'SCHEDULE', cron: '0 0 0 * * * *', status: 'ACTIVE' }],
    ['a cron minute out of range', 'cron', { name: 'g', trigger: 'SCHEDULE', cron: '61 * * * *', status: 'ACTIVE' }],
    ['a cron that is not one', 'cron', { name: 'g', trigger: 'SCHEDULE', cron: 'every day', status: 'ACTIVE' }],
    ['a cron on an ORDER_APPROVED group', 'cron', { name: 'g', trigger: 'ORDER_APPROVED', cron: '0 * * * *', status: 'PAUSED' }],
    ['an unknown trigger', 'trigger', { name: 'g', trigger: 'HOURLY', status: 'ACTIVE' }],
    ['an unknown status', 'status', { name: 'g', trigger: 'ORDER_APPROVED', status: 'DRAFT' }],
    ['no name', 'name', { trigger: 'ORDER_APPROVED', status: 'PAUSED' }],
    ['an unknown property', 'colour', { name: 'g', trigger: 'ORDER_APPROVED', status: 'PAUSED', colour: 'red' }],
  ])('refuses a group with %s (400 naming %s), storing nothing', async (_case, field, body) => {
    const before = await counts();
    expectValidationError(await api('POST', '/groups', body), field);
    expect(await counts()).toBe(before);
  });

  it('refuses a group change that would leave a SCHEDULE group without a valid cron', async () => {
    const group = await schedule('cron checks');
    const before = await counts();
    expectValidationError(await api('PATCH', `/groups/${group.id}`, { cron: null }), 'cron');
    expectValidationError(await api('PATCH', `/groups/${group.id}`, { cron: '0 0 31 2 *' }), 'cron');
    expectValidationError(await api('PATCH', `/groups/${group.id}`, { name: null }), 'name');
    expectValidationError(await api('PATCH', `/groups/${(await defaultGroup()).id}`, { trigger: 'SCHEDULE' }), 'cron');
    expect(await counts()).toBe(before);
  });

  it.each([
    ['a negative sequence', 'sequence', { sequence: -1 }],
    ['a fractional sequence', 'sequence', { sequence: 1.5 }],
    ['no sequence', 'sequence', { sequence: undefined }],
    ['an unknown status', 'status', { status: 'PAUSED' }],
    ['an unknown filter field', 'orderFilters[0].field', { orderFilters: [{ field: 'weight', operator: 'equals', value: 1 }] }],
    ['an inventory field among order filters', 'orderFilters[0].field', { orderFilters: [{ field: 'distanceKm', operator: 'less', value: 1 }] }],
    ['an unknown operator', 'orderFilters[0].operator', { orderFilters: [{ field: 'salesChannel', operator: 'like', value: 'WEB' }] }],
    ['an operator the field does not take', 'orderFilters[0].operator', { orderFilters: [{ field: 'country', operator: 'greater', value: 'US' }] }],
    [
      'a value of the wrong type',
      'orderFilters[1].value',
      {
        orderFilters: [
          { field: 'country', operator: 'equals', value: 'US' },
          { field: 'priority', operator: 'equals', value: 'high' },
        ],
      },
    ],
    ['a scalar with in', 'orderFilters[0].value', { orderFilters: [{ field: 'tag', operator: 'in', value: 'vip' }] }],
    ['an empty list with not-in', 'orderFilters[0].value', { orderFilters: [{ field: 'tag', operator: 'not-in', value: [] }] }],
    ['a condition without a value', 'orderFilters[0].value', { orderFilters: [{ field: 'orderTotal', operator: 'greater' }] }],
    ['an unknown condition property', 'orderFilters[0].negate', { orderFilters: [{ field: 'tag', operator: 'equals', value: 'vip', negate: true }] }],
    ['filters that are not a list', 'orderFilters', { orderFilters: { field: 'tag' } }],
    ['a filter that is a list', 'orderFilters[0]', { orderFilters: [[{ field: 'tag', operator: 'equals', value: 'vip' }]] }],
    ['a filter that is null', 'orderFilters[0]', { orderFilters: [null] }],
    ['an unknown sort field', 'orderSorts[0].field', { orderSorts: [{ field: 'distance', direction: 'asc' }] }],
    ['an unknown sort direction', 'orderSorts[0].direction', { orderSorts: [{ field: 'priority', direction: 'up' }] }],
  ])('refuses a routing with %s (400 naming %s), storing nothing', async (_case, field, overrides) => {
    const group = await defaultGroup();
    const before = await counts();
    expectValidationError(await api('POST', `/groups/${group.id}/routings`, routing(overrides)), field);
    const patch = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
    if (Object.keys(patch).length > 0) expectValidationError(await api('PATCH', `/routings/${group.routings[0].id}`, patch), field);
    expect(await counts()).toBe(before);
  });

  it.each([
    ['an unknown assignment', 'assignment', { assignment: 'ALL' }],
    [
      'a distance that is not a number',
      'inventoryFilters[1].value',
      {
        inventoryFilters: [
          { field: 'facilityGroup', operator: 'in', value: ['NY'] },
          { field: 'distanceKm', operator: 'less', value: 'far' },
        ],
      },
    ],
    [
      'a distance compared the wrong way',
      'inventoryFilters[0].operator',
      { inventoryFilters: [{ field: 'distanceKm', operator: 'greater', value: 10 }] },
    ],
    [
      'ignoreFacilityOrderLimit other than true',
      'inventoryFilters[0].value',
      { inventoryFilters: [{ field: 'ignoreFacilityOrderLimit', operator: 'equals', value: false }] },
    ],
    [
      'an order field among inventory filters',
      'inventoryFilters[0].field',
      { inventoryFilters: [{ field: 'priority', operator: 'equals', value: 1 }] },
    ],
    ['an order sort among inventory sorts', 'inventorySorts[0].field', { inventorySorts: [{ field: 'orderDate', direction: 'asc' }] }],
    ['MOVE_TO_QUEUE without a queue', 'unfilledAction.queue', { unfilledAction: { type: 'MOVE_TO_QUEUE' } }],
    ['a queue with NEXT_RULE', 'unfilledAction.queue', { unfilledAction: { type: 'NEXT_RULE', queue: 'BACKORDER' } }],
    ['AUTO_CANCEL_DAYS without days', 'unfilledAction.days', { unfilledAction: { type: 'AUTO_CANCEL_DAYS' } }],
    ['AUTO_CANCEL_DAYS of 0 days', 'unfilledAction.days', { unfilledAction: { type: 'AUTO_CANCEL_DAYS', days: 0 } }],
    ['AUTO_CANCEL_DAYS of 1.5 days', 'unfilledAction.days', { unfilledAction: { type: 'AUTO_CANCEL_DAYS', days: 1.5 } }],
    ['an unknown unfilled action', 'unfilledAction.type', { unfilledAction: { type: 'DROP' } }],
    ['an unknown unfilled action property', 'unfilledAction.after', { unfilledAction: { type: 'NEXT_RULE', after: 1 } }],
    ['an unfilled action that is not an object', 'unfilledAction', { unfilledAction: 'NEXT_RULE' }],
  ])('refuses a rule with %s (400 naming %s), storing nothing', async (_case, field, overrides) => {
    const group = await defaultGroup();
    const before = await counts();
    expectValidationError(await api('POST', `/routings/${group.routings[0].id}/rules`, rule(overrides)), field);
    expectValidationError(await api('PATCH', `/rules/${group.routings[0].rules[0].id}`, overrides), field);
    expect(await counts()).toBe(before);
  });

  it('lists the runs newest first, of one group or all', async () => {
    const group = await defaultGroup();
    const other = await schedule('runs');
    const [ruleId] = group.routings[0].rules.map((r) => r.id);
    await f.sql(
      `INSERT INTO routing_run (group_id, trigger, started_at, finished_at, orders_considered, items_allocated, items_unfilled, by_rule) VALUES
         ($1, 'EVENT', now() - interval '3 minutes', now() - interval '179 seconds', 4, 5, 1, $3::jsonb),
         ($2, 'SCHEDULE', now() - interval '2 minutes', NULL, 0, 0, 0, '[]'),
         ($1, 'MANUAL', now() - interval '1 minute', now(), 1, 0, 2, '[]')`,
      [group.id, other.id, JSON.stringify([{ ruleId, itemsAllocated: 5 }])],
    );
    const all = await api<{ items: Run[] }>('GET', '/runs');
    expect(all.status).toBe(200);
    expect(all.body.items.map((run) => run.trigger)).toEqual(['MANUAL', 'SCHEDULE', 'EVENT']);
    expect(all.body.items[2]).toEqual({
      id: expect.any(String),
      groupId: group.id,
      trigger: 'EVENT',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      ordersConsidered: 4,
      itemsAllocated: 5,
      itemsUnfilled: 1,
      byRule: [{ ruleId, itemsAllocated: 5 }],
    });
    expect((await api<{ items: Run[] }>('GET', `/runs?groupId=${group.id}&limit=1`)).body.items.map((run) => run.trigger)).toEqual(['MANUAL']);
    expect((await api<{ items: Run[] }>('GET', `/runs?groupId=${UNKNOWN_ID}`)).body.items).toEqual([]);
    expectValidationError(await api('GET', '/runs?limit=0'), 'limit');
    expectValidationError(await api('GET', '/runs?groupId=nope'), 'groupId');

    // A run outlives its group.
    expect((await api('DELETE', `/groups/${other.id}`)).status).toBe(204);
    expect((await api<{ items: Run[] }>('GET', '/runs')).body.items[1]).toMatchObject({ trigger: 'SCHEDULE', groupId: null });
  });

  it('a change through one instance is read at once through the cache of another', async () => {
    const second = await f.startInstance();
    const other = routingApi(second.internalUrl!);
    const group = await defaultGroup();
    const [single] = group.routings[0].rules;
    const l1Hits = () => metric(second.internalUrl!, 'cache_lookups_total{tier="l1",result="hit"}');

    expect((await other<Group>('GET', `/groups/${group.id}`)).body).toEqual(group);
    const hitsBefore = await l1Hits();
    expect((await other<Group>('GET', `/groups/${group.id}`)).body).toEqual(group);
    expect((await l1Hits()) - hitsBefore).toBe(1);

    for (const status of ['DRAFT', 'ACTIVE']) {
      expect((await api('PATCH', `/rules/${single.id}`, { status })).status).toBe(200);
      expect((await other<Group>('GET', `/groups/${group.id}`)).body.routings[0].rules[0].status).toBe(status);
    }
    const routingId = (await api<Routing>('POST', `/groups/${group.id}/routings`, routing({ name: 'added', sequence: 99 }))).body.id;
    expect((await other<Group>('GET', `/groups/${group.id}`)).body.routings.map((r) => r.name)).toEqual(['All orders', 'added']);
    expect((await api('DELETE', `/routings/${routingId}`)).status).toBe(204);
    expect((await other<Group>('GET', `/groups/${group.id}`)).body).toEqual(group);
  });

  it('needs the admin token', async () => {
    expectErrorBody(await documentedRequest(`${f.internalUrl}/internal/routing/groups`, 'GET'), 401);
    expectErrorBody(await httpRequest(`${f.url}/internal/routing/groups`, 'GET', undefined, ADMIN_HEADERS), 404);
  });
});
