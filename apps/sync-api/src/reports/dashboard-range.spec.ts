import { lastDays } from './dashboard-range';

describe('lastDays', () => {
  it('ends today in the time zone and spans the number of days given, both ends included', () => {
    expect(lastDays(30, new Date('2026-03-31T12:00:00Z'), 'UTC')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(lastDays(1, new Date('2026-03-31T12:00:00Z'), 'UTC')).toEqual({ from: '2026-03-31', to: '2026-03-31' });
  });

  it("takes today's date in the warehouse's time zone, not in UTC", () => {
    expect(lastDays(30, new Date('2026-03-01T02:00:00Z'), 'America/New_York')).toEqual({ from: '2026-01-30', to: '2026-02-28' });
    expect(lastDays(7, new Date('2026-03-31T23:30:00Z'), 'Asia/Tokyo')).toEqual({ from: '2026-03-26', to: '2026-04-01' });
  });

  it('counts calendar days across a daylight saving change', () => {
    expect(lastDays(3, new Date('2026-03-09T15:00:00Z'), 'America/New_York')).toEqual({ from: '2026-03-07', to: '2026-03-09' });
  });
});
