-- The facilities of a bench data script (included with \ir after its setseed): `facilities` of them
-- spread over the contiguous US, all shipping, every other one also for pickup, every fifth a
-- warehouse. psql variables: facilities, facility_code (a format() pattern, e.g. 'BENCH-F%03s'),
-- facility_name (e.g. 'Bench facility %s').
INSERT INTO facility (code, name, type, latitude, longitude, can_ship, can_pickup)
SELECT format(:'facility_code', n), format(:'facility_name', n),
       CASE WHEN n % 5 = 0 THEN 'WAREHOUSE' ELSE 'STORE' END,
       round((25 + random() * 23)::numeric, 6), round((-123 + random() * 52)::numeric, 6), true, n % 2 = 0
  FROM generate_series(1, :facilities) n;
