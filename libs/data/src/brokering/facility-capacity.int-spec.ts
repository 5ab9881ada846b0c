import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrateDatabase } from '@app/platform';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';
import type { Queryable } from '../read-routing/queryable';
import { FacilityCapacity, FacilityCapacityRepository } from './facility-capacity.repository';

/** 14 hours ahead of UTC and 12 behind: 26 hours apart, so their dates always differ. */
const KIRITIMATI = 'Pacific/Kiritimati';
const BAKER_ISLAND = 'Etc/GMT+12';

const capacityIn = (timeZone: string) => new FacilityCapacityRepository({ brokering: { timeZone } });

/** The date in `timeZone` now, as JavaScript sees it. */
function dateIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

describe('FacilityCapacityRepository (real PostgreSQL)', () => {
  const name = `oms_capacity_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const clients: Client[] = [];
  let db: Client;
  const capacity = capacityIn('UTC');

  /** A connection of its own, as another worker would have. */
  async function connect(): Promise<Client> {
    const client = new Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    return client;
  }

  const on = (client: Client): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
  });

  /** One transaction on the connection, without retries: a deadlock would fail the test. */
  async function transaction<T>(client: Client, work: (tx: Queryable) => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      const result = await work(on(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'capacity-int-spec'));
    db = await connect();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end()));
    await dropDatabases(url);
  });

  async function facility(maximumOrdersPerDay: number | null): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude, can_ship, maximum_orders_per_day)
       VALUES ($1, $1, 'WAREHOUSE', 40.7, -74, true, $2) RETURNING id`,
      [`F-${randomUUID()}`, maximumOrdersPerDay],
    );
    return rows[0].id;
  }

  async function dayRows(facilityId: string): Promise<{ day: string; ordersAllocated: number }[]> {
    const { rows } = await db.query<{ day: string; ordersAllocated: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, orders_allocated AS "ordersAllocated" FROM facility_order_day WHERE facility_id = $1 ORDER BY day`,
      [facilityId],
    );
    return rows;
  }

  const today = () => dateIn('UTC');

  it("reads today's maximum, count and remaining of each facility without creating rows; unknown ids are left out", async () => {
    const [limited, none, unlimited] = [await facility(3), await facility(0), await facility(null)];
    const before = today();
    const read = await capacity.readRemaining(on(db), [unlimited, limited, none, randomUUID()]);
    expect([before, today()]).toContain(read[0].date);
    const date = read[0].date;
    const byId = (id: string) => read.find((row) => row.facilityId === id);
    expect(read).toHaveLength(3);
    expect(read.map((row) => row.facilityId)).toEqual([limited, none, unlimited].sort());
    expect(byId(limited)).toEqual({ facilityId: limited, date, maximumOrdersPerDay: 3, ordersAllocated: 0, remaining: 3 });
    expect(byId(none)).toEqual({ facilityId: none, date, maximumOrdersPerDay: 0, ordersAllocated: 0, remaining: 0 });
    expect(byId(unlimited)).toEqual({ facilityId: unlimited, date, maximumOrdersPerDay: null, ordersAllocated: 0, remaining: null });
    expect(await dayRows(limited)).toEqual([]);
    expect(await capacity.readRemaining(on(db), [])).toEqual([]);
  });

  it('locks (creating the day rows), counts, and shows the count; unlimited facilities are counted too', async () => {
    const [limited, unlimited] = [await facility(5), await facility(null)];
    const locked = await transaction(db, async (tx) => {
      const rows = await capacity.lockRemaining(tx, [unlimited, limited, randomUUID()]);
      const counted = await capacity.countOrders(tx, [
        { facilityId: unlimited, orders: 4 },
        { facilityId: limited, orders: 2 },
        { facilityId: limited, orders: 1 },
      ]);
      expect(counted.sort((a, b) => a.facilityId.localeCompare(b.facilityId))).toEqual(
        [
          { facilityId: limited, ordersAllocated: 3 },
          { facilityId: unlimited, ordersAllocated: 4 },
        ].sort((a, b) => a.facilityId.localeCompare(b.facilityId)),
      );
      return rows;
    });
    expect(locked.map((row) => [row.facilityId, row.ordersAllocated, row.remaining])).toEqual(
      [
        [limited, 0, 5],
        [unlimited, 0, null],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const [afterLimited, afterUnlimited] = [
      (await capacity.readRemaining(on(db), [limited]))[0],
      (await capacity.readRemaining(on(db), [unlimited]))[0],
    ];
    expect(afterLimited).toMatchObject({ maximumOrdersPerDay: 5, ordersAllocated: 3, remaining: 2 });
    expect(afterUnlimited).toMatchObject({ maximumOrdersPerDay: null, ordersAllocated: 4, remaining: null });
    expect(await dayRows(limited)).toEqual([{ day: afterLimited.date, ordersAllocated: 3 }]);
    expect(await capacity.countOrders(on(db), [])).toEqual([]);
  });

  it('never shows remaining below 0 when the maximum is lowered under the count', async () => {
    const limited = await facility(4);
    await transaction(db, async (tx) => {
      await capacity.lockRemaining(tx, [limited]);
      await capacity.countOrders(tx, [{ facilityId: limited, orders: 4 }]);
    });
    await db.query('UPDATE facility SET maximum_orders_per_day = 1 WHERE id = $1', [limited]);
    expect((await capacity.readRemaining(on(db), [limited]))[0]).toMatchObject({ maximumOrdersPerDay: 1, ordersAllocated: 4, remaining: 0 });
    expect(await capacity.capacityOn(on(db), limited)).toMatchObject({ ordersAllocated: 4, remaining: 0 });
  });

  it('concurrent transactions that lock, check and count never take a facility past its maximum, and never deadlock', async () => {
    const [small, large, closed, unlimited] = [await facility(5), await facility(9), await facility(0), await facility(null)];
    const all = [small, large, closed, unlimited];
    const workers = await Promise.all(Array.from({ length: 8 }, () => connect()));
    const counted = new Map<string, number>(all.map((id) => [id, 0]));
    let attempts = 0;

    // Each worker brokers orders one transaction at a time; each order would go to 2 to 4 facilities, named in any order.
    await Promise.all(
      workers.map(async (worker, w) => {
        for (let order = 0; order < 4; order++) {
          const wanted = all.filter((_, i) => (w + order + i) % 3 !== 0 || i === 0).reverse();
          attempts++;
          await transaction(worker, async (tx) => {
            const remaining = await capacity.lockRemaining(tx, wanted);
            // Hold the locks a moment, as brokering does while it writes the batch.
            await tx.query('SELECT pg_sleep(0.005)');
            const fits = remaining.filter((row) => row.remaining === null || row.remaining > 0);
            await capacity.countOrders(
              tx,
              fits.map((row) => ({ facilityId: row.facilityId, orders: 1 })),
            );
            for (const row of fits) counted.set(row.facilityId, counted.get(row.facilityId)! + 1);
          });
        }
      }),
    );

    expect(attempts).toBe(32);
    const final = new Map((await capacity.readRemaining(on(db), all)).map((row: FacilityCapacity) => [row.facilityId, row]));
    expect(final.get(small)).toMatchObject({ ordersAllocated: 5, remaining: 0 });
    expect(final.get(large)).toMatchObject({ ordersAllocated: 9, remaining: 0 });
    expect(final.get(closed)).toMatchObject({ ordersAllocated: 0, remaining: 0 });
    expect(final.get(unlimited)).toMatchObject({ ordersAllocated: counted.get(unlimited), remaining: null });
    expect(counted.get(unlimited)).toBeGreaterThan(9);
    for (const id of all) expect(counted.get(id)).toBe(final.get(id)!.ordersAllocated);
  });

  it("counts on the date in BROKERING_TZ: another zone's day is another row, and yesterday's count does not carry over", async () => {
    const limited = await facility(2);
    const ahead = capacityIn(KIRITIMATI);
    const behind = capacityIn(BAKER_ISLAND);

    const before = dateIn(KIRITIMATI);
    const [locked] = await transaction(db, async (tx) => {
      const rows = await ahead.lockRemaining(tx, [limited]);
      await ahead.countOrders(tx, [{ facilityId: limited, orders: 2 }]);
      return rows;
    });
    expect([before, dateIn(KIRITIMATI)]).toContain(locked.date);
    expect((await ahead.readRemaining(on(db), [limited]))[0]).toMatchObject({ date: locked.date, ordersAllocated: 2, remaining: 0 });

    const [elsewhere] = await behind.readRemaining(on(db), [limited]);
    expect(elsewhere.date < locked.date).toBe(true);
    expect(elsewhere).toMatchObject({ ordersAllocated: 0, remaining: 2 });

    // Baker Island's "today" is at least Kiritimati's yesterday: the full day there leaves today here open.
    const [relocked] = await transaction(db, (tx) => behind.lockRemaining(tx, [limited]));
    expect(relocked).toMatchObject({ date: elsewhere.date, ordersAllocated: 0, remaining: 2 });
    expect((await dayRows(limited)).map((row) => row.day)).toEqual([elsewhere.date, locked.date]);

    // The capacity of a given day, in any zone, is that day's row.
    expect(await behind.capacityOn(on(db), limited, locked.date)).toEqual({
      facilityId: limited,
      date: locked.date,
      maximumOrdersPerDay: 2,
      ordersAllocated: 2,
      remaining: 0,
    });
    expect(await ahead.capacityOn(on(db), limited, '2001-01-01')).toMatchObject({ date: '2001-01-01', ordersAllocated: 0, remaining: 2 });
    expect(await ahead.capacityOn(on(db), randomUUID())).toBeUndefined();
  });
});
