-- Catalog and stock of the end-to-end brokering benchmark (bench/e2e-brokering-bench.sh), in one
-- transaction. psql variables: facilities, products, stock. Deterministic (setseed).
--
-- Facilities spread over the contiguous US, all shipping; every product stocked at every facility
-- with `stock` units, far more than a run orders, so every order ships whole from its nearest
-- facility and ends BROKERED. No orders: they come through the API.
\set ON_ERROR_STOP on
BEGIN;
SELECT setseed(0.15) AS seed \gset

\set facility_code 'E2E-F%03s'
\set facility_name 'E2E facility %s'
\ir facilities.sql

INSERT INTO product (sku, name, price)
SELECT format('E2E-P%04s', n), format('E2E product %s', n), round((5 + random() * 95)::numeric, 2)
  FROM generate_series(1, :products) n;

INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand)
SELECT f.id, p.id, :stock
  FROM facility f CROSS JOIN product p
 ORDER BY f.id, p.id;

COMMIT;

VACUUM ANALYZE facility, product, inventory_item;
