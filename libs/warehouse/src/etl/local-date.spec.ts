import { dateKeyOf, isLocalDate, LocalDates } from './local-date';

describe('local dates', () => {
  it('accepts only calendar dates that exist, written YYYY-MM-DD', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2026-12-31')).toBe(true);
    for (const bad of ['2023-02-29', '2026-02-30', '2026-13-01', '2026-1-01', '20260101', '2026-01-01T00:00:00Z', '', 20260101, null]) {
      expect(isLocalDate(bad)).toBe(false);
    }
  });

  it('keys a date as yyyymmdd', () => {
    expect(dateKeyOf('2026-03-09')).toBe(20260309);
  });

  it('files an instant under its date in the time zone', () => {
    expect(new LocalDates('UTC').dateOf('2026-03-01T23:59:59.999999Z')).toBe('2026-03-01');
    expect(new LocalDates('America/New_York').dateOf('2026-03-02T04:59:59Z')).toBe('2026-03-01');
    expect(new LocalDates('America/New_York').dateOf('2026-03-02T05:00:00Z')).toBe('2026-03-02');
    expect(new LocalDates('Asia/Kolkata').dateKeyOf('2026-03-01T18:29:00Z')).toBe(20260301);
    expect(new LocalDates('Asia/Kolkata').dateKeyOf('2026-03-01T18:30:00Z')).toBe(20260302);
    expect(new LocalDates('Asia/Kathmandu').dateOf('2026-03-01T18:14:59Z')).toBe('2026-03-01');
    expect(new LocalDates('Asia/Kathmandu').dateOf('2026-03-01T18:15:00Z')).toBe('2026-03-02');
  });

  it('follows daylight saving time (New York midnight is 04:00 UTC in summer, 05:00 in winter)', () => {
    const newYork = new LocalDates('America/New_York');
    expect(newYork.dateOf('2026-07-01T03:59:00Z')).toBe('2026-06-30');
    expect(newYork.dateOf('2026-07-01T04:00:00Z')).toBe('2026-07-01');
    expect(newYork.dateOf('2026-01-01T04:59:00Z')).toBe('2025-12-31');
  });
});
