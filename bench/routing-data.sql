-- What the routing benchmark (bench/routing-bench.sh) adds to the data of the brokering benchmark
-- (bench/brokering-data.sql, run first), so that a realistic rule set has work to do. Deterministic:
-- every draw is a hash of the order's or facility's number, not random().
--
-- - orders: sales channel web (55%), app (20%) or marketplace (25%); shipping STANDARD (70%),
--   EXPRESS (20%, priority 3) or NEXT_DAY (10%, priority 1; the others keep 5), drawn independently;
-- - facilities: a daily order limit, 120-239 orders at each store and 700 at each warehouse (about
--   14,000 in all for 10,000 orders, unevenly spread, so the nearest facilities fill up);
-- - stock: a quarter of the stores' rows keep 2 units back (minimum stock);
-- - four facility groups with member sequences: BENCH_WAREHOUSES (every warehouse, in an order
--   unrelated to place), BENCH_STORES (every store), BENCH_MARKETPLACE_FC (every other warehouse)
--   and BENCH_EXPRESS_HUBS (every warehouse and every fifth store).
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE bench_draw ON COMMIT DROP AS
SELECT id, abs(hashint4(n * 7919 + 1)::bigint) % 100 AS channel_draw, abs(hashint4(n * 104729 + 2)::bigint) % 100 AS shipping_draw
  FROM (SELECT id, substring(external_id FROM 7)::int AS n FROM sales_order WHERE external_id LIKE 'bench-%') o;

UPDATE sales_order o
   SET sales_channel = CASE WHEN d.channel_draw < 55 THEN 'web' WHEN d.channel_draw < 75 THEN 'app' ELSE 'marketplace' END,
       shipping_method = CASE WHEN d.shipping_draw < 70 THEN 'STANDARD' WHEN d.shipping_draw < 90 THEN 'EXPRESS' ELSE 'NEXT_DAY' END,
       priority = CASE WHEN d.shipping_draw < 70 THEN 5 WHEN d.shipping_draw < 90 THEN 3 ELSE 1 END
  FROM bench_draw d
 WHERE d.id = o.id;

CREATE TEMP TABLE bench_facility ON COMMIT DROP AS
SELECT id, type, substring(code FROM 8)::int AS n FROM facility WHERE code LIKE 'BENCH-F%';

UPDATE facility f
   SET maximum_orders_per_day = CASE WHEN b.type = 'WAREHOUSE' THEN 700 ELSE 120 + abs(hashint4(b.n * 31 + 3)::bigint) % 120 END
  FROM bench_facility b
 WHERE b.id = f.id;

UPDATE inventory_item i
   SET minimum_stock = 2
  FROM bench_facility b, product p
 WHERE b.id = i.facility_id AND p.id = i.product_id AND b.type = 'STORE'
   AND abs(hashint4(b.n * 10007 + substring(p.sku FROM 8)::int)::bigint) % 4 = 0;

INSERT INTO facility_group (code, name, type)
VALUES ('BENCH_WAREHOUSES', 'Bench warehouses', 'BROKERING'),
       ('BENCH_STORES', 'Bench stores', 'BROKERING'),
       ('BENCH_MARKETPLACE_FC', 'Bench marketplace fulfilment centres', 'BROKERING'),
       ('BENCH_EXPRESS_HUBS', 'Bench express hubs', 'BROKERING');

INSERT INTO facility_group_member (group_id, facility_id, sequence)
SELECT g.id, b.id, m.sequence
  FROM bench_facility b
 CROSS JOIN LATERAL (VALUES
         ('BENCH_WAREHOUSES', b.type = 'WAREHOUSE', b.n * 37 % 100),
         ('BENCH_STORES', b.type = 'STORE', b.n),
         ('BENCH_MARKETPLACE_FC', b.type = 'WAREHOUSE' AND b.n % 10 = 0, b.n / 10),
         ('BENCH_EXPRESS_HUBS', b.type = 'WAREHOUSE' OR b.n % 5 = 1, b.n)
       ) AS m (code, member, sequence)
  JOIN facility_group g ON g.code = m.code
 WHERE m.member
 ORDER BY g.code, b.n;

COMMIT;

VACUUM ANALYZE facility, facility_group, facility_group_member, inventory_item, sales_order;
