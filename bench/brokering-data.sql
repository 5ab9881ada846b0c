-- Data of the brokering benchmark (bench/brokering-bench.sh), generated set-based in one transaction.
-- psql variables: orders, facilities, products. Deterministic (setseed) for a given set of them.
--
-- Facilities are spread over the contiguous US, all can ship. About 30% of (facility, product)
-- pairs are stocked with 5-34 units, which is about twice the demand, so most orders ship whole
-- from one facility; a three-line order often finds no single facility with all three products and
-- is split. The last 5% of products are scarce (a few units at a few facilities) and the last 1%
-- have no stock at all: their lines are backordered. Orders have 1-3 lines of distinct products,
-- quantities mostly 1, and status APPROVED (items waiting in BROKERING) with no outbox event, so only the
-- sweep brokers them.
\set ON_ERROR_STOP on
BEGIN;
SELECT setseed(0.14) AS seed \gset

\set facility_code 'BENCH-F%03s'
\set facility_name 'Bench facility %s'
\ir facilities.sql

CREATE TEMP TABLE bench_product ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id, format('BENCH-P%04s', n) AS sku, round((5 + random() * 95)::numeric, 2) AS price
  FROM generate_series(1, :products) n;

INSERT INTO product (id, sku, name, price)
SELECT id, sku, format('Bench product %s', n), price FROM bench_product ORDER BY n;

-- Normal products: ~30% of facilities, 5-34 units each. Scarce (last 5%): ~6% of facilities, 1-3
-- units. Out of stock (last 1%): no row.
-- The draws are made per pair in a materialised CTE: a volatile qual that references only the
-- product would be pushed down to the product scan and stock a product everywhere or nowhere.
INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand)
WITH pairs AS MATERIALIZED (
  SELECT f.id AS facility_id, p.id AS product_id, p.n, random() AS draw, random() AS size
    FROM facility f CROSS JOIN bench_product p
)
SELECT facility_id, product_id,
       CASE WHEN n > :products * 0.95 THEN 1 + floor(size * 3)::int ELSE 5 + floor(size * 30)::int END
  FROM pairs
 WHERE n <= :products * 0.99
   AND draw < CASE WHEN n > :products * 0.95 THEN 0.06 ELSE 0.30 END
 ORDER BY facility_id, product_id;

CREATE TEMP TABLE bench_order ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id, 1 + floor(random() * 3)::int AS lines, floor(random() * :products)::int AS base,
       round((25 + random() * 23)::numeric, 6) AS latitude, round((-123 + random() * 52)::numeric, 6) AS longitude
  FROM generate_series(1, :orders) n;

-- Line l of an order takes product (base + 67 (l - 1)) mod products: distinct within the order.
CREATE TEMP TABLE bench_line ON COMMIT DROP AS
SELECT o.id AS order_id, o.n AS order_n, l AS line_number, p.id AS product_id, p.sku, p.price AS unit_price,
       1 + (random() < 0.25)::int + (random() < 0.10)::int AS quantity
  FROM bench_order o
 CROSS JOIN LATERAL generate_series(1, o.lines) l
  JOIN bench_product p ON p.n = 1 + (o.base + 67 * (l - 1)) % :products;

-- One millisecond apart, oldest first: brokering serves older orders first.
INSERT INTO sales_order (id, external_id, status, customer_email, customer_name, shipping_address, currency, total,
                         api_key_id, sales_channel, created_at, updated_at)
SELECT o.id, format('bench-%s', o.n), 'APPROVED', format('bench+%s@example.com', o.n), format('Bench customer %s', o.n),
       jsonb_build_object('line1', format('%s Bench Street', o.n), 'city', 'Benchville', 'postalCode', lpad((o.n % 100000)::text, 5, '0'),
                          'country', 'US', 'latitude', o.latitude, 'longitude', o.longitude),
       'USD', t.total, NULL, 'bench', ts.at, ts.at
  FROM bench_order o
  JOIN (SELECT order_id, sum(quantity * unit_price) AS total FROM bench_line GROUP BY order_id) t ON t.order_id = o.id
 CROSS JOIN LATERAL (SELECT now() - (:orders - o.n) * interval '1 millisecond' AS at) ts
 ORDER BY o.n;

INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
SELECT order_id, line_number, product_id, sku, quantity, unit_price, 'CREATED', 'BROKERING'
  FROM bench_line ORDER BY order_n, line_number;

COMMIT;

VACUUM ANALYZE facility, product, inventory_item, sales_order, order_item;
