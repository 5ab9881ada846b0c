import { ConflictError } from '@app/platform';
import { TRANSFER_ORDER_STATUSES } from './supply-statuses';
import { assertTransferTransition, TRANSFER_ORDER_TRANSITIONS } from './transfer-orders.transitions';

describe('transfer order transitions', () => {
  it('has a row for every status', () => {
    expect(Object.keys(TRANSFER_ORDER_TRANSITIONS).sort()).toEqual([...TRANSFER_ORDER_STATUSES].sort());
  });

  it.each([
    ['CREATED', 'SHIPPED'],
    ['CREATED', 'CANCELLED'],
    ['SHIPPED', 'RECEIVED'],
  ] as const)('lets a %s transfer order become %s', (from, to) => {
    expect(() => assertTransferTransition('t', from, to)).not.toThrow();
  });

  it.each([
    ['SHIPPED', 'CANCELLED', 'transfer order t is SHIPPED: only a CREATED transfer order can become CANCELLED'],
    ['CREATED', 'RECEIVED', 'transfer order t is CREATED: only a SHIPPED transfer order can become RECEIVED'],
    ['RECEIVED', 'SHIPPED', 'transfer order t is RECEIVED: only a CREATED transfer order can become SHIPPED'],
    ['CANCELLED', 'SHIPPED', 'transfer order t is CANCELLED: only a CREATED transfer order can become SHIPPED'],
  ] as const)('refuses a %s transfer order becoming %s with a conflict naming its status', (from, to, message) => {
    expect(() => assertTransferTransition('t', from, to)).toThrow(new ConflictError(message));
  });
});
