import { LocalDates } from '@app/warehouse';
import type { DateRange } from '@app/warehouse';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `days` days up to and including today, as dates in the warehouse's time zone (what the reports take). */
export function lastDays(days: number, now: Date, timeZone: string): DateRange {
  const today = new LocalDates(timeZone).dateOf(now);
  const first = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS);
  return { from: first.toISOString().slice(0, 10), to: today };
}
