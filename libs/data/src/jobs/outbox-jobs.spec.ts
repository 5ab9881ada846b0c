import { JobName } from './job-contracts';
import { jobsForEvents, BROKERING_BATCH_SIZE, PublishableEvent } from './outbox-jobs';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const created = (id: number): PublishableEvent => ({ id: String(id), topic: 'order.created', aggregateId: uuid(id), payload: { orderId: uuid(id) } });
const changed = (id: number, product: number, payload: Record<string, unknown>): PublishableEvent => ({
  id: String(id),
  topic: 'inventory.changed',
  aggregateId: uuid(product),
  payload,
});

describe('jobsForEvents', () => {
  it('brokers the new orders of a batch together, under a job id derived from the events', () => {
    expect(jobsForEvents([created(7), created(8)])).toEqual([
      { name: JobName.BrokerOrders, data: { orderIds: [uuid(7), uuid(8)] }, jobId: 'broker-7-8' },
    ]);
  });

  it('splits a large batch into brokering jobs of at most one service batch each', () => {
    const events = Array.from({ length: BROKERING_BATCH_SIZE + 1 }, (_, i) => created(i + 1));
    const jobs = jobsForEvents(events);
    expect(jobs.map((job) => (job.data as { orderIds: string[] }).orderIds.length)).toEqual([BROKERING_BATCH_SIZE, 1]);
    expect(jobs.map((job) => job.jobId)).toEqual([
      `broker-1-${BROKERING_BATCH_SIZE}`,
      `broker-${BROKERING_BATCH_SIZE + 1}-${BROKERING_BATCH_SIZE + 1}`,
    ]);
  });

  it('re-brokers the products whose available-to-promise went up, not those that lost or shipped stock', () => {
    const jobs = jobsForEvents([
      changed(1, 50, { onHandDelta: 5, reservedDelta: 0 }),
      changed(2, 51, { onHandDelta: 0, reservedDelta: -2 }),
      changed(3, 50, { onHandDelta: 0, reservedDelta: -1 }),
      changed(4, 52, { onHandDelta: -2, reservedDelta: -2 }),
      changed(5, 53, { onHandDelta: -1, reservedDelta: 0 }),
      changed(6, 54, { onHandDelta: 0, reservedDelta: 3 }),
    ]);
    expect(jobs).toEqual([{ name: JobName.RebrokerProducts, data: { productIds: [uuid(50), uuid(51)] }, jobId: 'rebroker-1-3' }]);
  });

  it('asks for nothing on events other consumers follow', () => {
    const other = (topic: string): PublishableEvent => ({ id: '1', topic, aggregateId: uuid(1), payload: {} });
    expect(jobsForEvents([other('order.fulfilled'), other('order.cancelled'), other('order.brokered')])).toEqual([]);
  });
});
