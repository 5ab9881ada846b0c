import { Injectable } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { JobName } from '@app/jobs';
import { MetricsRegistry } from '@app/platform';
import { Counter, Histogram } from 'prom-client';

const KNOWN_JOBS = new Set<string>(Object.values(JobName));

/** A job's labels; a name from Redis that no contract declares is `unknown`, so that the label set stays bounded. */
export function jobLabels(queue: string, jobName: string): { queue: string; name: string } {
  return { queue, name: KNOWN_JOBS.has(jobName) ? jobName : 'unknown' };
}

/** Every attempt a worker finishes: counted by outcome, and timed when it completes. */
@Injectable()
export class JobMetrics {
  private readonly duration: Histogram<'queue' | 'name'>;
  private readonly finished: Counter<'queue' | 'name' | 'status'>;

  constructor(registry: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'job_duration_seconds',
      help: 'Time from a job becoming active to its completion, by queue and job name',
      labelNames: ['queue', 'name'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers: [registry],
    });
    this.finished = new Counter({
      name: 'jobs_finished_total',
      help: 'Job attempts finished, by queue, job name and status (completed, or failed: retried while attempts remain)',
      labelNames: ['queue', 'name', 'status'],
      registers: [registry],
    });
  }

  observe(worker: Worker): void {
    worker.on('completed', (job) => this.record(worker.name, job, 'completed'));
    worker.on('failed', (job) => {
      if (job) this.record(worker.name, job, 'failed');
    });
  }

  private record(queue: string, job: Job, status: 'completed' | 'failed'): void {
    const labels = jobLabels(queue, job.name);
    this.finished.inc({ ...labels, status });
    if (status === 'completed' && job.processedOn) this.duration.observe(labels, (Date.now() - job.processedOn) / 1000);
  }
}
