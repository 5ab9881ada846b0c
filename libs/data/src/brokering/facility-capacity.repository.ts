import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { inCapacityLockOrder } from '../database/lock-order';
import type { Queryable } from '../read-routing/queryable';

/** A facility's capacity on one day (the date in BROKERING_TZ). */
export interface FacilityCapacity {
  facilityId: string;
  /** YYYY-MM-DD. */
  date: string;
  /** null: unlimited; 0: takes no orders. */
  maximumOrdersPerDay: number | null;
  ordersAllocated: number;
  /** How many more orders the facility takes that day: null when unlimited, never below 0. */
  remaining: number | null;
}

/** Orders newly allocated to a facility (each counted once, however many of its items went there). */
export interface FacilityOrderCount {
  facilityId: string;
  orders: number;
}

/**
 * $n is the time zone. now() is when the transaction began, so every statement of one brokering
 * transaction counts on the same day, and the database's clock, not an instance's, decides it.
 */
const today = (timeZone: string) => `(now() AT TIME ZONE ${timeZone})::date`;

/** The capacity columns over `f` (facility), `o` (its day row, if any) and `d.day`. */
const CAPACITY_COLUMNS = `f.id AS "facilityId", to_char(d.day, 'YYYY-MM-DD') AS date, f.maximum_orders_per_day AS "maximumOrdersPerDay",
  COALESCE(o.orders_allocated, 0) AS "ordersAllocated",
  CASE WHEN f.maximum_orders_per_day IS NOT NULL THEN GREATEST(f.maximum_orders_per_day - COALESCE(o.orders_allocated, 0), 0) END AS remaining`;

/**
 * SQL of facility capacity (maximumOrdersPerDay): orders counted per facility and day, where the
 * day is the date in BROKERING_TZ. Brokering plans on readRemaining, locks the day rows of the
 * facilities it allocates to with lockRemaining (after the stock rows: database/lock-order.ts),
 * checks what remains under the lock, and counts the orders with countOrders in the same
 * transaction; concurrent brokering then never takes a facility past its maximum.
 */
@Injectable()
export class FacilityCapacityRepository {
  private readonly timeZone: string;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'brokering'>) {
    this.timeZone = config.brokering.timeZone;
  }

  /** Today's capacity of each of these facilities (unknown ids are left out), without locks: for planning. By facility id. */
  readRemaining(tx: Queryable, facilityIds: string[]): Promise<FacilityCapacity[]> {
    if (facilityIds.length === 0) return Promise.resolve([]);
    return tx.query<FacilityCapacity>(
      `SELECT ${CAPACITY_COLUMNS}
         FROM facility f CROSS JOIN (SELECT ${today('$2')} AS day) d
         LEFT JOIN facility_order_day o ON o.facility_id = f.id AND o.day = d.day
        WHERE f.id = ANY($1::uuid[])
        ORDER BY f.id`,
      [facilityIds, this.timeZone],
    );
  }

  /**
   * Today's capacity of each of these facilities, their day rows created when missing and locked
   * in the lock order until the transaction ends. A row another transaction holds is read once that
   * transaction has committed, with its count. Unknown ids are left out. By facility id.
   */
  async lockRemaining(tx: Queryable, facilityIds: string[]): Promise<FacilityCapacity[]> {
    if (facilityIds.length === 0) return [];
    // A concurrent insert of the same row waits for the first inserter; inserting in facility order keeps those waits in the lock order too.
    await tx.query(
      `INSERT INTO facility_order_day (facility_id, day)
       SELECT id, ${today('$2')} FROM facility WHERE id = ANY($1::uuid[]) ORDER BY id
       ON CONFLICT DO NOTHING`,
      [facilityIds, this.timeZone],
    );
    return tx.query<FacilityCapacity>(
      `SELECT ${CAPACITY_COLUMNS}
         FROM facility_order_day o JOIN facility f ON f.id = o.facility_id
         JOIN (SELECT ${today('$2')} AS day) d ON o.day = d.day
        WHERE o.facility_id = ANY($1::uuid[])
        ORDER BY o.facility_id
          FOR UPDATE OF o`,
      [facilityIds, this.timeZone],
    );
  }

  /**
   * Adds the orders to today's counts, in one statement; the caller holds the rows' locks
   * (lockRemaining) and has checked they fit. A missing row is created, in the lock order.
   * Returns each counted facility's new count, by facility id.
   */
  countOrders(tx: Queryable, counts: FacilityOrderCount[]): Promise<{ facilityId: string; ordersAllocated: number }[]> {
    const counted = inCapacityLockOrder(counts.filter((count) => count.orders !== 0));
    if (counted.length === 0) return Promise.resolve([]);
    return tx.query(
      `INSERT INTO facility_order_day AS o (facility_id, day, orders_allocated)
       SELECT c.facility_id, ${today('$3')}, sum(c.orders) FROM unnest($1::uuid[], $2::int[]) AS c(facility_id, orders)
        GROUP BY c.facility_id ORDER BY c.facility_id
       ON CONFLICT (facility_id, day) DO UPDATE SET orders_allocated = o.orders_allocated + EXCLUDED.orders_allocated
       RETURNING o.facility_id AS "facilityId", o.orders_allocated AS "ordersAllocated"`,
      [counted.map((count) => count.facilityId), counted.map((count) => count.orders), this.timeZone],
    );
  }

  /** One facility's capacity on a day (default today), or undefined for an unknown facility. */
  async capacityOn(db: Queryable, facilityId: string, date?: string): Promise<FacilityCapacity | undefined> {
    const [row] = await db.query<FacilityCapacity>(
      `SELECT ${CAPACITY_COLUMNS}
         FROM facility f CROSS JOIN (SELECT COALESCE($2::date, ${today('$3')}) AS day) d
         LEFT JOIN facility_order_day o ON o.facility_id = f.id AND o.day = d.day
        WHERE f.id = $1`,
      [facilityId, date ?? null, this.timeZone],
    );
    return row;
  }
}
