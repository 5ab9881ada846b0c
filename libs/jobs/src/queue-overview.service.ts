import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from './job-contracts';

const COUNTED_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'paused'] as const;

export type JobCounts = Record<(typeof COUNTED_STATES)[number], number>;

export interface ScheduleView {
  id: string;
  pattern: string | null;
  next: Date | null;
}

export interface QueueView {
  name: QueueName;
  counts: JobCounts;
  schedules: ScheduleView[];
}

/** What an operator wants of the queues at a glance: job counts per state and the schedules with their next run. */
@Injectable()
export class QueueOverview {
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(QueueName.Brokering) brokering: Queue,
    @InjectQueue(QueueName.Warehouse) warehouse: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
  ) {
    this.queues = [brokering, warehouse, maintenance];
  }

  describe(): Promise<QueueView[]> {
    return Promise.all(this.queues.map((queue) => this.describeQueue(queue)));
  }

  /** Only the job counts (one Redis round trip per queue), for a metrics scrape. */
  jobCounts(): Promise<Pick<QueueView, 'name' | 'counts'>[]> {
    return Promise.all(this.queues.map(async (queue) => ({ name: queue.name as QueueName, counts: await this.countsOf(queue) })));
  }

  private async countsOf(queue: Queue): Promise<JobCounts> {
    const counts = await queue.getJobCounts(...COUNTED_STATES);
    return Object.fromEntries(COUNTED_STATES.map((state) => [state, counts[state] ?? 0])) as JobCounts;
  }

  private async describeQueue(queue: Queue): Promise<QueueView> {
    const [counts, schedulers] = await Promise.all([this.countsOf(queue), queue.getJobSchedulers()]);
    return {
      name: queue.name as QueueName,
      counts,
      schedules: schedulers.map((scheduler) => ({
        id: scheduler.key,
        pattern: scheduler.pattern ?? null,
        next: scheduler.next === undefined ? null : new Date(scheduler.next),
      })),
    };
  }
}
