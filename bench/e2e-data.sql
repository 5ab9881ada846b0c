-- Catalog and stock of the end-to-end brokering benchmark (bench/e2e-brokering-bench.sh), in one
-- transaction. psql variables: facilities, products, stock. Deterministic (setseed).
--
-- Facilities spread over the contiguous US, all shipping; every product stocked at every facility
-- with `stock` units, far more than a run orders, so every order ships whole from its nearest
-- facility and ends BROKERED. No orders: they come through the API.
\set ON_ERROR_STOP on
BEGIN;
SELECT setseed(0.15) AS seed \gset

INSERT INTO facility (code, name, type, latitude, longitude, can_ship, can_pickup)
SELECT format('E2E-F%03s', n), format('E2E facility %s', n),
       CASE WHEN n % 5 = 0 THEN 'WAREHOUSE' ELSE 'STORE' END,
       round((25 + random() * 23)::numeric, 6), round((-123 + random() * 52)::numeric, 6), true, n % 2 = 0
  FROM generate_series(1, :facilities) n;

INSERT INTO product (sku, name, price)
SELECT format('E2E-P%04s', n), format('E2E product %s', n), round((5 + random() * 95)::numeric, 2)
  FROM generate_series(1, :products) n;

INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand)
SELECT f.id, p.id, :stock
  FROM facility f CROSS JOIN product p
 ORDER BY f.id, p.id;

COMMIT;

VACUUM ANALYZE facility, product, inventory_item;
