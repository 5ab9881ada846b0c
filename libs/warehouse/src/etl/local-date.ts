const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCFullYear() === Number(match[1]) && date.toISOString().startsWith(value);
}

/** The yyyymmdd key of a YYYY-MM-DD date, as dim_date keys it. */
export function dateKeyOf(localDate: string): number {
  return Number(localDate.replaceAll('-', ''));
}

/** Every UTC offset in use is a multiple of 15 minutes, so all instants of one quarter hour fall on one local date. */
const QUARTER_HOUR_MS = 15 * 60 * 1000;

/**
 * Local dates of instants in one time zone. Formatting dates is slow next to the rest of a row's
 * transform, so each quarter hour is formatted once.
 */
export class LocalDates {
  private readonly format: Intl.DateTimeFormat;
  private readonly byQuarterHour = new Map<number, { date: string; key: number }>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /** YYYY-MM-DD of the instant in the time zone. */
  dateOf(instant: string | Date): string {
    return this.localDateOf(instant).date;
  }

  /** The yyyymmdd key of the instant's date in the time zone. */
  dateKeyOf(instant: string | Date): number {
    return this.localDateOf(instant).key;
  }

  private localDateOf(instant: string | Date): { date: string; key: number } {
    const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
    if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
    const quarter = Math.floor(ms / QUARTER_HOUR_MS);
    let local = this.byQuarterHour.get(quarter);
    if (local === undefined) {
      const parts = Object.fromEntries(this.format.formatToParts(new Date(quarter * QUARTER_HOUR_MS)).map((part) => [part.type, part.value]));
      const date = `${parts.year}-${parts.month}-${parts.day}`;
      local = { date, key: dateKeyOf(date) };
      this.byQuarterHour.set(quarter, local);
    }
    return local;
  }
}
