import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, ConflictError, NotFoundError } from '@app/platform';
import { LocalDates } from '../etl/local-date';
import type { EtlRun, EtlTrigger } from './etl-run.view';
import { EtlJobQueue } from './etl-job.queue';
import { EtlRunsRepository } from './etl-runs.repository';
import { resolveEtlWindow } from './etl-window';

/** A run is queued or running already; only one runs at a time. */
export class EtlRunInProgressError extends ConflictError {
  constructor(readonly activeRunId: string) {
    super(`ETL run ${activeRunId} is queued or running; one run at a time`);
  }
}

/** Attempts at creating a run when the active one finished between our insert and our look-up. */
const CREATE_ATTEMPTS = 3;

/** The run records: created by a trigger, read by the internal API. */
@Injectable()
export class EtlRunsService {
  private readonly logger = new Logger(EtlRunsService.name);
  private readonly localDates: LocalDates;

  constructor(
    private readonly runs: EtlRunsRepository,
    private readonly jobs: EtlJobQueue,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.localDates = new LocalDates(config.schedules.warehouseTimeZone);
  }

  /** An admin's run (queued on the warehouse queue), of the order dates from..to or, with neither, incremental. */
  async requestManual(window: { from?: string; to?: string } = {}): Promise<EtlRun> {
    const run = await this.create('manual', window);
    try {
      await this.jobs.enqueue(run.id);
    } catch (error) {
      await this.runs.markFailed(run.id, `could not be queued: ${(error as Error).message}`);
      throw error;
    }
    return run;
  }

  /** The end-of-day run, which its scheduled job runs at once; undefined when another run is active (that one catches up). */
  async createScheduled(): Promise<EtlRun | undefined> {
    try {
      return await this.create('schedule', {});
    } catch (error) {
      if (!(error instanceof EtlRunInProgressError)) throw error;
      this.logger.warn(`scheduled ETL skipped: run ${error.activeRunId} is still active`);
      return undefined;
    }
  }

  async get(id: string): Promise<EtlRun> {
    const run = await this.runs.find(id);
    if (!run) throw new NotFoundError(`ETL run ${id} not found`);
    return run;
  }

  list(limit: number): Promise<EtlRun[]> {
    return this.runs.listNewestFirst(limit);
  }

  private async create(trigger: EtlTrigger, input: { from?: string; to?: string }): Promise<EtlRun> {
    const window = resolveEtlWindow(input, this.localDates.dateOf(new Date()));
    for (let attempt = 1; ; attempt++) {
      const run = await this.runs.insertQueued(trigger, window);
      if (run) return run;
      const active = await this.runs.findActive();
      if (active) throw new EtlRunInProgressError(active.id);
      if (attempt >= CREATE_ATTEMPTS) throw new ConflictError('ETL runs are being created concurrently; try again');
    }
  }
}
