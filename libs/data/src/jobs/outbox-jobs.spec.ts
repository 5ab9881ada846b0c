import { JobName } from './job-contracts';
import { jobsForEvent } from './outbox-jobs';

const ORDER = '00000000-0000-4000-8000-000000000001';
const PRODUCT = '00000000-0000-4000-8000-000000000002';

describe('jobsForEvent', () => {
  it('brokers a new order under a job id derived from the order, so a republished event runs once', () => {
    expect(jobsForEvent({ id: '7', topic: 'order.created', aggregateId: ORDER, payload: { orderId: ORDER } })).toEqual([
      { name: JobName.BrokerOrders, data: { orderIds: [ORDER] }, jobId: `broker-${ORDER}` },
    ]);
  });

  it('re-brokers a product when its available-to-promise goes up, not when stock leaves or ships', () => {
    const changed = (payload: Record<string, unknown>) => jobsForEvent({ id: '9', topic: 'inventory.changed', aggregateId: PRODUCT, payload });
    const rebroker = [{ name: JobName.RebrokerProducts, data: { productIds: [PRODUCT] }, jobId: 'rebroker-9' }];
    expect(changed({ onHandDelta: 5, reservedDelta: 0 })).toEqual(rebroker);
    expect(changed({ onHandDelta: 0, reservedDelta: -2 })).toEqual(rebroker);
    expect(changed({ onHandDelta: -2, reservedDelta: -2 })).toEqual([]);
    expect(changed({ onHandDelta: -1, reservedDelta: 0 })).toEqual([]);
    expect(changed({ onHandDelta: 0, reservedDelta: 3 })).toEqual([]);
  });

  it('asks for nothing on events other consumers follow', () => {
    expect(jobsForEvent({ id: '1', topic: 'order.fulfilled', aggregateId: ORDER, payload: {} })).toEqual([]);
    expect(jobsForEvent({ id: '2', topic: 'order.cancelled', aggregateId: ORDER, payload: {} })).toEqual([]);
  });
});
