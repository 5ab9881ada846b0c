// The realistic rule set of the routing benchmark (bench/routing-bench.sh), written through the
// internal API as a merchant would: one ORDER_APPROVED group, created PAUSED (the seeded default
// group stays the active one), with three routings of three rules each over the facility groups of
// bench/routing-data.sql. Prints the group's id and "routings/rules" on one line.
// Usage: BENCH_INTERNAL_URL=http://127.0.0.1:PORT ADMIN_TOKEN=... node bench/routing-rules.js
const BASE = process.env.BENCH_INTERNAL_URL;
const TOKEN = process.env.ADMIN_TOKEN;
const TIMEOUT_MS = 10_000;

const cond = (field, operator, value) => ({ field, operator, value });
const sort = (field, direction = 'asc') => ({ field, direction });
const BACKORDER = { type: 'MOVE_TO_QUEUE', queue: 'BACKORDER' };
const NEXT_RULE = { type: 'NEXT_RULE' };
const OVER_LIMIT = cond('ignoreFacilityOrderLimit', 'equals', true);

const RULE_SET = {
  group: { name: 'Bench rule set', trigger: 'ORDER_APPROVED', status: 'PAUSED' },
  routings: [
    {
      name: 'Marketplace orders',
      orderFilters: [cond('salesChannel', 'equals', 'marketplace')],
      orderSorts: [sort('orderDate')],
      rules: [
        {
          name: 'Marketplace fulfilment centres, in sequence, whole',
          assignment: 'SINGLE',
          inventoryFilters: [cond('facilityGroup', 'in', ['BENCH_MARKETPLACE_FC']), cond('brokeringSafetyStock', 'greater-equals', 2)],
          inventorySorts: [sort('facilitySequence'), sort('distance')],
          unfilledAction: NEXT_RULE,
        },
        {
          name: 'Warehouses and stores within 1,500 km, split',
          assignment: 'MULTI',
          inventoryFilters: [cond('facilityGroup', 'in', ['BENCH_WAREHOUSES', 'BENCH_STORES']), cond('distanceKm', 'less-equals', 1500)],
          inventorySorts: [sort('distance')],
          unfilledAction: NEXT_RULE,
        },
        {
          name: 'Anywhere, over the daily limit, most stock first',
          assignment: 'MULTI',
          inventoryFilters: [OVER_LIMIT],
          inventorySorts: [sort('inventoryBalance', 'desc')],
          unfilledAction: BACKORDER,
        },
      ],
    },
    {
      name: 'Express and next day',
      orderFilters: [cond('shippingMethod', 'in', ['EXPRESS', 'NEXT_DAY'])],
      orderSorts: [sort('priority'), sort('orderDate')],
      rules: [
        {
          name: 'Nearest express hub within 1,200 km with every item',
          assignment: 'SINGLE',
          inventoryFilters: [
            cond('facilityGroup', 'in', ['BENCH_EXPRESS_HUBS']),
            cond('distanceKm', 'less-equals', 1200),
            cond('brokeringSafetyStock', 'greater-equals', 2),
          ],
          inventorySorts: [sort('distance')],
          unfilledAction: NEXT_RULE,
        },
        {
          name: 'Express hubs, split, nearest first',
          assignment: 'MULTI',
          inventoryFilters: [cond('facilityGroup', 'in', ['BENCH_EXPRESS_HUBS'])],
          inventorySorts: [sort('distance'), sort('inventoryBalance', 'desc')],
          unfilledAction: NEXT_RULE,
        },
        {
          name: 'Anywhere, over the daily limit',
          assignment: 'MULTI',
          inventoryFilters: [OVER_LIMIT],
          inventorySorts: [sort('distance')],
          unfilledAction: BACKORDER,
        },
      ],
    },
    {
      name: 'Everything else',
      orderFilters: [],
      orderSorts: [sort('orderDate')],
      rules: [
        {
          name: 'Nearest store within 1,000 km with every item, 3 units to spare',
          assignment: 'SINGLE',
          inventoryFilters: [
            cond('facilityGroup', 'in', ['BENCH_STORES']),
            cond('distanceKm', 'less-equals', 1000),
            cond('brokeringSafetyStock', 'greater-equals', 3),
          ],
          inventorySorts: [sort('distance')],
          unfilledAction: NEXT_RULE,
        },
        {
          name: 'Warehouses in sequence, whole',
          assignment: 'SINGLE',
          inventoryFilters: [cond('facilityGroup', 'in', ['BENCH_WAREHOUSES'])],
          inventorySorts: [sort('facilitySequence'), sort('inventoryBalance', 'desc')],
          unfilledAction: NEXT_RULE,
        },
        {
          name: 'Anywhere, split, over the daily limit',
          assignment: 'MULTI',
          inventoryFilters: [OVER_LIMIT],
          inventorySorts: [sort('distance')],
          unfilledAction: BACKORDER,
        },
      ],
    },
  ],
};

async function post(path, body) {
  const response = await fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function main() {
  if (!BASE || !TOKEN) throw new Error('usage: BENCH_INTERNAL_URL=... ADMIN_TOKEN=... node bench/routing-rules.js');
  const group = await post('/internal/routing/groups', RULE_SET.group);
  let rules = 0;
  for (const [r, { rules: ruleList, ...routing }] of RULE_SET.routings.entries()) {
    const created = await post(`/internal/routing/groups/${group.id}/routings`, { ...routing, sequence: 10 * (r + 1), status: 'ACTIVE' });
    for (const [i, rule] of ruleList.entries()) {
      await post(`/internal/routing/routings/${created.id}/rules`, { ...rule, sequence: 10 * (i + 1), status: 'ACTIVE' });
      rules++;
    }
  }
  process.stdout.write(`${group.id} ${RULE_SET.routings.length}/${rules}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
