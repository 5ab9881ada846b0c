-- Data of the fulfilment benchmark (bench/fulfilment-bench.sh), generated set-based in one transaction.
-- psql variables: pick_orders, ship_orders, warmup_orders, products. Deterministic (setseed) for a
-- given set of them, apart from the ids.
--
-- Five warehouses far apart, one per part of the run: picklists with one picker (FUL-PICK-1),
-- picklists with several pickers (FUL-PICK-N), one-step pack and ship (FUL-SHIP-1), two-step pack
-- and ship (FUL-SHIP-2), and the warm-up (FUL-WARMUP). Every product is stocked at every warehouse
-- far beyond what the orders take. Each order is shipped to its warehouse's own coordinates, so
-- the default routing group allocates it whole there; orders have 1-3 lines of distinct products,
-- quantities mostly 1, and status APPROVED (items waiting in BROKERING) with no outbox event, so
-- only the worker's sweep brokers them, as in bench/brokering-data.sql.
\set ON_ERROR_STOP on
BEGIN;
SELECT setseed(0.29) AS seed \gset

CREATE TEMP TABLE bench_facility ON COMMIT DROP AS
SELECT * FROM (VALUES ('FUL-PICK-1', 'Fulfilment bench, one picker', 47.606200, -122.332100, :pick_orders),
                      ('FUL-PICK-N', 'Fulfilment bench, several pickers', 25.761700, -80.191800, :pick_orders),
                      ('FUL-SHIP-1', 'Fulfilment bench, one-step pack and ship', 42.360100, -71.058900, :ship_orders),
                      ('FUL-SHIP-2', 'Fulfilment bench, two-step pack and ship', 34.052200, -118.243700, :ship_orders),
                      ('FUL-WARMUP', 'Fulfilment bench, warm-up', 39.739200, -104.990300, :warmup_orders))
       AS f(code, name, latitude, longitude, orders);

INSERT INTO facility (code, name, type, latitude, longitude, can_ship, can_pickup)
SELECT code, name, 'WAREHOUSE', latitude, longitude, true, false FROM bench_facility ORDER BY code;

CREATE TEMP TABLE bench_product ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id, format('FUL-P%04s', n) AS sku, round((5 + random() * 95)::numeric, 2) AS price
  FROM generate_series(1, :products) n;

INSERT INTO product (id, sku, name, price)
SELECT id, sku, format('Fulfilment bench product %s', n), price FROM bench_product ORDER BY n;

INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand)
SELECT f.id, p.id, 1000000
  FROM facility f CROSS JOIN bench_product p
 ORDER BY f.id, p.id;

-- The orders of every warehouse, numbered across warehouses (n) for their dates and names, the
-- warehouses taking turns: a picklist takes the oldest orders first, so the orders of the other
-- warehouses lie among a warehouse's own alike at both picklist warehouses.
CREATE TEMP TABLE bench_order ON COMMIT DROP AS
WITH drawn AS MATERIALIZED (
  SELECT f.code, f.latitude, f.longitude, k, 1 + floor(random() * 3)::int AS lines, floor(random() * :products)::int AS base
    FROM bench_facility f CROSS JOIN LATERAL generate_series(1, f.orders) k
)
SELECT row_number() OVER (ORDER BY k, code) AS n, gen_random_uuid() AS id, * FROM drawn;

-- Line l of an order takes product (base + 37 (l - 1)) mod products: distinct within the order.
CREATE TEMP TABLE bench_line ON COMMIT DROP AS
SELECT o.id AS order_id, o.n AS order_n, l AS line_number, p.id AS product_id, p.sku, p.price AS unit_price,
       1 + (random() < 0.20)::int AS quantity
  FROM bench_order o
 CROSS JOIN LATERAL generate_series(1, o.lines) l
  JOIN bench_product p ON p.n = 1 + (o.base + 37 * (l - 1)) % :products;

-- One millisecond apart, oldest first (picklists take the oldest orders first).
INSERT INTO sales_order (id, external_id, status, customer_email, customer_name, shipping_address, currency, total,
                         api_key_id, sales_channel, created_at, updated_at)
SELECT o.id, format('ful-%s', o.n), 'APPROVED', format('ful+%s@example.com', o.n), format('Fulfilment customer %s', o.n),
       jsonb_build_object('line1', format('%s Bench Street', o.n), 'city', 'Benchville', 'postalCode', lpad((o.n % 100000)::text, 5, '0'),
                          'country', 'US', 'latitude', o.latitude, 'longitude', o.longitude),
       'USD', t.total, NULL, 'bench', ts.at, ts.at
  FROM bench_order o
  JOIN (SELECT order_id, sum(quantity * unit_price) AS total FROM bench_line GROUP BY order_id) t ON t.order_id = o.id
 CROSS JOIN LATERAL (SELECT now() - ((SELECT count(*) FROM bench_order) - o.n) * interval '1 millisecond' AS at) ts
 ORDER BY o.n;

INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
SELECT order_id, line_number, product_id, sku, quantity, unit_price, 'CREATED', 'BROKERING'
  FROM bench_line ORDER BY order_n, line_number;

COMMIT;

VACUUM ANALYZE facility, product, inventory_item, sales_order, order_item;
