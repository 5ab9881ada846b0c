/**
 * Facility capacity over HTTP: maximumOrdersPerDay (and allowBrokering) in POST/PATCH/GET of
 * facilities, and GET /facilities/:id/capacity, whose default day is today in BROKERING_TZ.
 */
import { apiClient, ApiFixture, expectErrorBody, expectValidationError, Facility, startApi } from '../support/api-fixture';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** 14 hours ahead of UTC: for most of the day its date is not UTC's, so a default of UTC would show. */
const BROKERING_TZ = 'Pacific/Kiritimati';

interface Capacity {
  facilityId: string;
  date: string;
  maximumOrdersPerDay: number | null;
  ordersAllocated: number;
  remaining: number | null;
}

function dateIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

describe('facility capacity', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('capacity', { BROKERING_TZ });
  });

  afterAll(async () => {
    await f?.stop();
  });

  /** Orders counted at the facility on a day, as brokering leaves them. */
  const counted = (facilityId: string, day: string, orders: number) =>
    f.sql('INSERT INTO facility_order_day (facility_id, day, orders_allocated) VALUES ($1, $2, $3)', [facilityId, day, orders]);

  describe('maximumOrdersPerDay and allowBrokering on facilities', () => {
    it('POST without them gives an unlimited facility that takes part in brokering; POST with them keeps them', async () => {
      const plain = await f.createFacility();
      expect(plain).toMatchObject({ maximumOrdersPerDay: null, allowBrokering: true });
      const limited = await f.createFacility({ maximumOrdersPerDay: 25, allowBrokering: false });
      expect(limited).toMatchObject({ maximumOrdersPerDay: 25, allowBrokering: false });
      const closed = await f.createFacility({ maximumOrdersPerDay: 0 });
      expect(closed.maximumOrdersPerDay).toBe(0);
      expect(await f.createFacility({ maximumOrdersPerDay: null })).toMatchObject({ maximumOrdersPerDay: null });
      expect((await f.api<Facility>('GET', `/facilities/${limited.id}`)).body).toEqual(limited);
      const [row] = await f.sql<{ maximum_orders_per_day: number | null }>('SELECT maximum_orders_per_day FROM facility WHERE id = $1', [limited.id]);
      expect(row.maximum_orders_per_day).toBe(25);
    });

    it.each([
      ['-1', -1],
      ['1.5', 1.5],
      ['a string', '10'],
      ['a boolean', true],
      ['above 1e9', 1_000_000_001],
    ])('POST and PATCH refuse maximumOrdersPerDay %s with 400 naming the field', async (_name, value) => {
      expectValidationError(
        await f.api('POST', '/facilities', { code: 'BAD-MAX', name: 'x', type: 'WAREHOUSE', latitude: 0, longitude: 0, maximumOrdersPerDay: value }),
        'maximumOrdersPerDay',
      );
      const facility = await f.createFacility({ maximumOrdersPerDay: 3 });
      expectValidationError(await f.api('PATCH', `/facilities/${facility.id}`, { maximumOrdersPerDay: value }), 'maximumOrdersPerDay');
      expect((await f.api<Facility>('GET', `/facilities/${facility.id}`)).body).toEqual(facility);
    });

    it('PATCH sets a maximum, leaves it when absent and makes the facility unlimited again with null; GET shows each change', async () => {
      const facility = await f.createFacility();
      const set = await f.api<Facility>('PATCH', `/facilities/${facility.id}`, { maximumOrdersPerDay: 10 });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ maximumOrdersPerDay: 10, allowBrokering: true });
      expect((await f.api<Facility>('GET', `/facilities/${facility.id}`)).body.maximumOrdersPerDay).toBe(10);

      const renamed = await f.api<Facility>('PATCH', `/facilities/${facility.id}`, { name: 'Renamed', allowBrokering: false });
      expect(renamed.body).toMatchObject({ name: 'Renamed', maximumOrdersPerDay: 10, allowBrokering: false });

      const unlimited = await f.api<Facility>('PATCH', `/facilities/${facility.id}`, { maximumOrdersPerDay: null });
      expect(unlimited.status).toBe(200);
      expect(unlimited.body).toMatchObject({ name: 'Renamed', maximumOrdersPerDay: null, allowBrokering: false });
      expect((await f.api<Facility>('GET', `/facilities/${facility.id}`)).body).toMatchObject({ maximumOrdersPerDay: null, allowBrokering: false });
    });
  });

  describe('GET /facilities/:id/capacity', () => {
    it("defaults to today in BROKERING_TZ and shows the facility's maximum, the orders counted that day and what remains", async () => {
      const facility = await f.createFacility({ maximumOrdersPerDay: 5 });
      const before = dateIn(BROKERING_TZ);
      const fresh = await f.api<Capacity>('GET', `/facilities/${facility.id}/capacity`);
      expect(fresh.status).toBe(200);
      expect([before, dateIn(BROKERING_TZ)]).toContain(fresh.body.date);
      expect(fresh.body).toEqual({ facilityId: facility.id, date: fresh.body.date, maximumOrdersPerDay: 5, ordersAllocated: 0, remaining: 5 });

      await counted(facility.id, fresh.body.date, 3);
      const today = await f.api<Capacity>('GET', `/facilities/${facility.id}/capacity`);
      expect(today.body).toMatchObject({ date: fresh.body.date, ordersAllocated: 3, remaining: 2 });
      const sameDay = await f.api<Capacity>('GET', `/facilities/${facility.id}/capacity?date=${fresh.body.date}`);
      expect(sameDay.body).toEqual(today.body);

      // A lower maximum than the count leaves nothing, never less.
      expect((await f.api('PATCH', `/facilities/${facility.id}`, { maximumOrdersPerDay: 1 })).status).toBe(200);
      expect((await f.api<Capacity>('GET', `/facilities/${facility.id}/capacity`)).body).toMatchObject({
        maximumOrdersPerDay: 1,
        ordersAllocated: 3,
        remaining: 0,
      });
    });

    it('reads another day given as ?date=, and answers remaining null for an unlimited facility', async () => {
      const limited = await f.createFacility({ maximumOrdersPerDay: 4 });
      await counted(limited.id, '2026-03-01', 4);
      expect((await f.api<Capacity>('GET', `/facilities/${limited.id}/capacity?date=2026-03-01`)).body).toEqual({
        facilityId: limited.id,
        date: '2026-03-01',
        maximumOrdersPerDay: 4,
        ordersAllocated: 4,
        remaining: 0,
      });
      expect((await f.api<Capacity>('GET', `/facilities/${limited.id}/capacity?date=2026-03-02`)).body).toMatchObject({
        ordersAllocated: 0,
        remaining: 4,
      });

      const unlimited = await f.createFacility();
      await counted(unlimited.id, '2026-03-01', 7);
      expect((await f.api<Capacity>('GET', `/facilities/${unlimited.id}/capacity?date=2026-03-01`)).body).toEqual({
        facilityId: unlimited.id,
        date: '2026-03-01',
        maximumOrdersPerDay: null,
        ordersAllocated: 7,
        remaining: null,
      });
      const closed = await f.createFacility({ maximumOrdersPerDay: 0 });
      expect((await f.api<Capacity>('GET', `/facilities/${closed.id}/capacity`)).body).toMatchObject({ maximumOrdersPerDay: 0, remaining: 0 });
    });

    it.each([['2026-02-30'], ['not-a-date'], ['2026-3-1'], ['2026-03-01T00:00:00Z']])('answers 400 naming "date" for date=%s', async (date) => {
      const facility = await f.createFacility();
      expectValidationError(await f.api('GET', `/facilities/${facility.id}/capacity?date=${encodeURIComponent(date)}`), 'date');
    });

    it('answers 404 for an unknown facility and 400 for an id that is not a uuid', async () => {
      expectErrorBody(await f.api('GET', `/facilities/${UNKNOWN_ID}/capacity`), 404);
      expectErrorBody(await f.api('GET', `/facilities/${UNKNOWN_ID}/capacity?date=2026-03-01`), 404);
      expectErrorBody(await f.api('GET', '/facilities/xyz/capacity'), 400);
    });

    it('answers 404 to a key limited to other facilities, and 200 to one limited to this facility, with no permission needed', async () => {
      const [facility, other] = await Promise.all([f.createFacility({ maximumOrdersPerDay: 2 }), f.createFacility()]);
      const elsewhere = apiClient(f.url, (await f.createApiKey(undefined, { facilities: [other.id], permissions: [] })).key);
      const here = apiClient(f.url, (await f.createApiKey(undefined, { facilities: [facility.id], permissions: [] })).key);
      expectErrorBody(await elsewhere('GET', `/facilities/${facility.id}/capacity`), 404);
      expectErrorBody(await elsewhere('GET', `/facilities/${facility.id}/capacity?date=2026-03-01`), 404);
      const own = await here<Capacity>('GET', `/facilities/${facility.id}/capacity`);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ facilityId: facility.id, maximumOrdersPerDay: 2, remaining: 2 });
    });
  });
});
