-- Data of the warehouse ETL benchmark (bench/etl-bench.sh), generated set-based in one transaction.
-- psql variables: items (order items, exactly), products, facilities, days. Deterministic (setseed)
-- for a given set of them, apart from the ids (gen_random_uuid) and the dates, which are relative
-- to now().
--
-- A catalog of `products` products (5.00-99.99) and `facilities` facilities; about 30% of
-- (facility, product) pairs are stocked (inventory rows). Orders of 1-3 lines (quantities mostly 1)
-- placed over the last `days` days; the last order is cut short so that there are exactly `items`
-- lines. 5% of orders are cancelled whole; the other lines are shipped (45%), allocated (35%),
-- backordered (12%) or cancelled (8%), and the order's status follows from its lines. Every line
-- and order was last changed a few hours after the order was placed (always before now()).
\set ON_ERROR_STOP on
BEGIN;
SELECT setseed(0.16) AS seed \gset

\set facility_code 'ETL-F%03s'
\set facility_name 'ETL bench facility %s'
\ir facilities.sql

CREATE TEMP TABLE bench_facility ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY code) - 1 AS n, id FROM facility;

CREATE TEMP TABLE bench_product ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id, format('ETL-P%05s', n) AS sku, round((5 + random() * 94.99)::numeric, 2) AS price
  FROM generate_series(1, :products) n;

INSERT INTO product (id, sku, name, price)
SELECT id, sku, format('ETL bench product %s', n), price FROM bench_product ORDER BY n;

-- The draws are made per pair in a materialised CTE, so that a volatile qual is not pushed down to
-- one side of the cross join.
INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand, quantity_reserved)
WITH pairs AS MATERIALIZED (
  SELECT f.id AS facility_id, p.id AS product_id, random() AS draw, random() AS size, random() AS share
    FROM bench_facility f CROSS JOIN bench_product p
)
SELECT facility_id, product_id, 5 + floor(size * 60)::int, floor(share * (5 + floor(size * 60)) / 2)::int
  FROM pairs
 WHERE draw < 0.30
 ORDER BY facility_id, product_id;

-- Enough orders for `items` lines (2 on average), numbered; `first_line` is the running count of
-- lines before each order, so orders past `items` are dropped and the last one is cut short.
CREATE TEMP TABLE bench_order ON COMMIT DROP AS
WITH drawn AS MATERIALIZED (
  SELECT n, 1 + floor(random() * 3)::int AS lines, floor(random() * :products)::int AS base, floor(random() * :facilities)::int AS facility,
         random() < 0.05 AS cancelled, random() AS age, random() AS touched
    FROM generate_series(1, ceil(:items / 2.0 * 1.1)::int) n
), numbered AS (
  SELECT *, sum(lines) OVER (ORDER BY n) - lines AS first_line FROM drawn
)
SELECT n, gen_random_uuid() AS id, least(lines, :items - first_line)::int AS lines, base, facility, cancelled,
       now() - interval '6 hours' - age * :days * interval '1 day' AS created_at,
       touched * interval '6 hours' AS touched_after
  FROM numbered
 WHERE first_line < :items;

-- Line l of an order takes product (base + 67 (l - 1)) mod products: distinct within the order.
-- Allocated and shipped lines have a facility: the order's, or the next one for a third of lines.
CREATE TEMP TABLE bench_line ON COMMIT DROP AS
WITH drawn AS MATERIALIZED (
  SELECT o.id AS order_id, o.n AS order_n, l AS line_number, o.base, o.facility, o.cancelled, o.created_at, o.touched_after,
         random() AS status_draw, random() AS quantity_draw, random() AS split_draw
    FROM bench_order o
   CROSS JOIN LATERAL generate_series(1, o.lines) l
)
SELECT d.order_id, d.order_n, d.line_number, p.id AS product_id, p.sku, p.price AS unit_price,
       CASE WHEN d.quantity_draw < 0.70 THEN 1 WHEN d.quantity_draw < 0.92 THEN 2 ELSE 3 END AS quantity,
       s.status,
       CASE WHEN s.status IN ('ALLOCATED', 'SHIPPED') THEN (d.facility + (d.split_draw < 0.33)::int) % :facilities END AS facility_n,
       d.created_at, d.created_at + d.touched_after AS updated_at
  FROM drawn d
  JOIN bench_product p ON p.n = 1 + (d.base + 67 * (d.line_number - 1)) % :products
 CROSS JOIN LATERAL (
   SELECT CASE WHEN d.cancelled THEN 'CANCELLED'
               WHEN d.status_draw < 0.45 THEN 'SHIPPED'
               WHEN d.status_draw < 0.80 THEN 'ALLOCATED'
               WHEN d.status_draw < 0.92 THEN 'BACKORDERED'
               ELSE 'CANCELLED' END AS status
 ) s;

-- The order's status from its lines: all cancelled, all shipped, some lines served and some
-- backordered, all backordered, else brokered.
INSERT INTO sales_order (id, external_id, status, customer_email, customer_name, shipping_address, currency, total,
                         api_key_id, sales_channel, created_at, updated_at)
SELECT o.id, format('etl-%s', o.n),
       CASE WHEN l.cancelled = l.lines THEN 'CANCELLED'
            WHEN l.shipped + l.cancelled = l.lines THEN 'COMPLETED'
            WHEN l.backordered = l.lines - l.cancelled THEN 'BACKORDERED'
            WHEN l.backordered > 0 THEN 'PARTIALLY_BROKERED'
            ELSE 'BROKERED' END,
       format('etl+%s@example.com', o.n), format('ETL customer %s', o.n),
       jsonb_build_object('line1', format('%s Bench Street', o.n), 'city', 'Benchville', 'postalCode', lpad((o.n % 100000)::text, 5, '0'),
                          'country', 'US'),
       'USD', l.total, NULL, CASE o.n % 10 WHEN 0 THEN 'marketplace' WHEN 1 THEN 'pos' ELSE 'storefront' END,
       o.created_at, o.created_at + o.touched_after
  FROM bench_order o
  JOIN (SELECT order_id, count(*) AS lines, sum(quantity * unit_price) AS total,
               count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled,
               count(*) FILTER (WHERE status = 'SHIPPED') AS shipped,
               count(*) FILTER (WHERE status = 'BACKORDERED') AS backordered
          FROM bench_line GROUP BY order_id) l ON l.order_id = o.id
 ORDER BY o.n;

INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, facility_id, created_at, updated_at)
SELECT l.order_id, l.line_number, l.product_id, l.sku, l.quantity, l.unit_price, l.status, f.id, l.created_at, l.updated_at
  FROM bench_line l
  LEFT JOIN bench_facility f ON f.n = l.facility_n
 ORDER BY l.order_n, l.line_number;

COMMIT;

VACUUM ANALYZE facility, product, inventory_item, sales_order, order_item;
