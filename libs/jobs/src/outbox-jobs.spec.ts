import { JobName } from './job-contracts';
import { batchJobId, jobsForEvents, BROKERING_BATCH_SIZE, MAX_JOB_TRACES, originOfEvents, PublishableEvent } from './outbox-jobs';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
type Origin = Pick<PublishableEvent, 'requestId' | 'traceparent'>;
const noOrigin: Origin = { requestId: null, traceparent: null };
const created = (id: number, origin = noOrigin): PublishableEvent => ({
  id: String(id),
  topic: 'order.created',
  aggregateId: uuid(id),
  payload: { orderId: uuid(id) },
  ...origin,
});
const changed = (id: number, product: number, payload: Record<string, unknown>, origin = noOrigin): PublishableEvent => ({
  id: String(id),
  topic: 'inventory.changed',
  aggregateId: uuid(product),
  payload,
  ...origin,
});
const traceparent = (n: number) => `00-${String(n).padStart(32, '0')}-${String(n).padStart(16, '0')}-01`;

describe('jobsForEvents', () => {
  it('brokers the new orders of a batch together, under a job id derived from the events', () => {
    expect(jobsForEvents([created(7), created(8)])).toEqual([
      { name: JobName.BrokerOrders, data: { orderIds: [uuid(7), uuid(8)] }, jobId: expect.stringMatching(/^broker-7-8-[\w-]{16}$/) },
    ]);
  });

  it('brokers an order again when a facility rejected one of its items, with the new orders', () => {
    const rejected: PublishableEvent = { id: '9', topic: 'order.item_rejected', aggregateId: uuid(3), payload: { orderId: uuid(3) }, ...noOrigin };
    expect(jobsForEvents([created(7), rejected]).map((job) => job.data)).toEqual([{ orderIds: [uuid(7), uuid(3)] }]);
  });

  it('brokers an order again when an edit changed where it goes, not when it changed only its tags', () => {
    const edited = (id: number, rerouted: boolean): PublishableEvent => ({
      id: String(id),
      topic: 'order.edited',
      aggregateId: uuid(id),
      payload: { orderId: uuid(id), rerouted },
      ...noOrigin,
    });
    const brokering = jobsForEvents([edited(4, true), edited(5, false)]).filter((job) => job.name === JobName.BrokerOrders);
    expect(brokering.map((job) => job.data)).toEqual([{ orderIds: [uuid(4)] }]);
  });

  it('runs a routing group once per requested run, and resyncs the group schedules once per batch of configuration changes', () => {
    const run: PublishableEvent = {
      id: '11',
      topic: 'routing.run_requested',
      aggregateId: uuid(1),
      payload: { groupId: uuid(1), runId: uuid(2) },
      ...noOrigin,
    };
    const change = (id: number): PublishableEvent => ({
      id: String(id),
      topic: 'routing.changed',
      aggregateId: uuid(1),
      payload: { groupId: uuid(1) },
      ...noOrigin,
    });
    expect(jobsForEvents([run, change(12), change(13)])).toEqual([
      { name: JobName.RunRoutingGroup, data: { groupId: uuid(1), runId: uuid(2) }, jobId: `routing-run-${uuid(2)}` },
      { name: JobName.SyncRoutingSchedules, data: {}, jobId: expect.stringMatching(/^routing-schedules-12-13-/) },
    ]);
  });

  it('splits a large batch into brokering jobs of at most one service batch each', () => {
    const events = Array.from({ length: BROKERING_BATCH_SIZE + 1 }, (_, i) => created(i + 1));
    const jobs = jobsForEvents(events);
    expect(jobs.map((job) => (job.data as { orderIds: string[] }).orderIds.length)).toEqual([BROKERING_BATCH_SIZE, 1]);
    expect(jobs.map((job) => job.jobId)).toEqual([
      batchJobId('broker', events.slice(0, BROKERING_BATCH_SIZE)),
      batchJobId('broker', events.slice(BROKERING_BATCH_SIZE)),
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
    expect(jobs).toEqual([
      { name: JobName.RebrokerProducts, data: { productIds: [uuid(50), uuid(51)] }, jobId: expect.stringMatching(/^rebroker-1-3-[\w-]{16}$/) },
    ]);
  });

  it('gives the same batch the same job id, and events that reuse its ids (issued again after a failover) another', () => {
    const batch = [created(7), created(8)];
    expect(jobsForEvents(batch)[0].jobId).toBe(jobsForEvents([created(7), created(8)])[0].jobId);
    const reissued = batch.map((event, index) => ({ ...event, aggregateId: uuid(100 + index) }));
    expect(jobsForEvents(reissued)[0].jobId).not.toBe(jobsForEvents(batch)[0].jobId);
    const restock = changed(1, 50, { onHandDelta: 5, reservedDelta: 0 });
    expect(jobsForEvents([{ ...restock, payload: { onHandDelta: 6, reservedDelta: 0 } }])[0].jobId).not.toBe(jobsForEvents([restock])[0].jobId);
  });

  it('asks for nothing on events other consumers follow', () => {
    const other = (topic: string): PublishableEvent => ({ id: '1', topic, aggregateId: uuid(1), payload: {}, ...noOrigin });
    expect(jobsForEvents([other('order.fulfilled'), other('order.brokered'), other('order.promise_changed')])).toEqual([]);
  });

  it('recomputes the pre-order promises of orders cancelled, whole or an item, or edited, once per batch', () => {
    const event = (id: number, topic: string, order: number): PublishableEvent => ({
      id: String(id),
      topic,
      aggregateId: uuid(order),
      payload: { orderId: uuid(order) },
      ...noOrigin,
    });
    const events = [
      event(1, 'order.cancelled', 4),
      event(2, 'order.item_cancelled', 5),
      event(3, 'order.item_cancelled', 5),
      event(4, 'order.edited', 6),
    ];
    expect(jobsForEvents(events)).toEqual([
      { name: JobName.RecomputePromises, data: { orderIds: [uuid(4), uuid(5), uuid(6)] }, jobId: batchJobId('promises', events) },
    ]);
  });
});

describe('the origin a job carries', () => {
  it('is the request (and trace) of the event that caused it', () => {
    const [job] = jobsForEvents([created(7, { requestId: 'req-7', traceparent: traceparent(7) })]);
    expect(job.origin).toEqual({ requestIds: ['req-7'], traceparents: [traceparent(7)] });
  });

  it('names each request of a batch once, in event order, and a re-brokering job the requests that freed stock', () => {
    const jobs = jobsForEvents([
      created(1, { requestId: 'req-a', traceparent: traceparent(1) }),
      created(2, { requestId: 'req-b', traceparent: null }),
      created(3, { requestId: 'req-a', traceparent: traceparent(1) }),
      changed(4, 50, { onHandDelta: 5 }, { requestId: 'req-c', traceparent: traceparent(4) }),
      changed(5, 51, { onHandDelta: -5 }, { requestId: 'req-d', traceparent: traceparent(5) }),
    ]);
    expect(jobs.map((job) => [job.name, job.origin])).toEqual([
      [JobName.BrokerOrders, { requestIds: ['req-a', 'req-b'], traceparents: [traceparent(1)] }],
      [JobName.RebrokerProducts, { requestIds: ['req-c'], traceparents: [traceparent(4)] }],
    ]);
  });

  it('is absent when no event knows its request (written outside any request or job)', () => {
    expect(jobsForEvents([created(1), created(2)])[0].origin).toBeUndefined();
  });

  it('keeps every request id but links a bounded number of traces', () => {
    const events = Array.from({ length: MAX_JOB_TRACES + 5 }, (_, i) => created(i + 1, { requestId: `req-${i}`, traceparent: traceparent(i + 1) }));
    const origin = originOfEvents(events);
    expect(origin?.requestIds).toHaveLength(MAX_JOB_TRACES + 5);
    expect(origin?.traceparents).toEqual(events.slice(0, MAX_JOB_TRACES).map((event) => event.traceparent));
  });
});
