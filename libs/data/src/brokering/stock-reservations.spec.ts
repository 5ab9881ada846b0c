import { reservationsFit, StockLevel } from './stock-reservations';

function atp(facilityId: string, productId: string, availableToPromise: number): StockLevel {
  return { facilityId, productId, availableToPromise };
}

describe('reservationsFit', () => {
  const reservations = [
    { facilityId: 'f1', productId: 'tee', quantity: 3 },
    { facilityId: 'f2', productId: 'mug', quantity: 1 },
  ];

  it('holds when every row still has at least what is reserved from it', () => {
    expect(reservationsFit(reservations, [atp('f1', 'tee', 3), atp('f2', 'mug', 7), atp('f2', 'tee', 0)])).toBe(true);
    expect(reservationsFit([], [])).toBe(true);
  });

  it('fails when a row has less than its reservation, or is gone (its facility stopped shipping)', () => {
    expect(reservationsFit(reservations, [atp('f1', 'tee', 2), atp('f2', 'mug', 7)])).toBe(false);
    expect(reservationsFit(reservations, [atp('f1', 'tee', 3)])).toBe(false);
  });
});
