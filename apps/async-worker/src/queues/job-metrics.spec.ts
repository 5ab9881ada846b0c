import { EventEmitter } from 'node:events';
import type { Job, Worker } from 'bullmq';
import { Registry } from 'prom-client';
import { JobName } from '@app/jobs';
import { jobLabels, JobMetrics } from './job-metrics';

describe('job metrics', () => {
  it('labels a job by queue and declared name, any other name as unknown', () => {
    expect(jobLabels('brokering', JobName.BrokerOrders)).toEqual({ queue: 'brokering', name: 'broker-orders' });
    expect(jobLabels('brokering', 'order-123')).toEqual({ queue: 'brokering', name: 'unknown' });
  });

  it('times completed jobs and counts completed and failed attempts', async () => {
    const registry = new Registry();
    const worker = Object.assign(new EventEmitter(), { name: 'brokering' }) as unknown as Worker;
    new JobMetrics(registry).observe(worker);
    const job = { name: JobName.BrokerOrders, processedOn: Date.now() - 50 } as Job;
    worker.emit('completed', job, undefined, 'active');
    worker.emit('failed', job, new Error('boom'), 'active');
    worker.emit('failed', undefined, new Error('lost lock'), 'active');

    const text = await registry.metrics();
    expect(text).toContain('jobs_finished_total{queue="brokering",name="broker-orders",status="completed"} 1');
    expect(text).toContain('jobs_finished_total{queue="brokering",name="broker-orders",status="failed"} 1');
    expect(text).toContain('job_duration_seconds_count{queue="brokering",name="broker-orders"} 1');
    const sum = Number(/job_duration_seconds_sum\{queue="brokering",name="broker-orders"\} (\S+)/.exec(text)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(0.05);
  });
});
