import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { inConsumerSpan, runInWorkContext, WorkContext } from '@app/platform';
import type { JobOrigin } from './job-contracts';
import { originOfEvents } from './outbox-jobs';
import { currentOutboxOrigin } from './outbox-origin';

const logger = new Logger('Jobs');

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The origin a job's data carries, when it is well-formed (it comes from Redis: anything else is ignored). */
export function jobOriginOf(data: unknown): JobOrigin | undefined {
  const origin = (data as { origin?: unknown } | null | undefined)?.origin as Partial<JobOrigin> | undefined;
  if (typeof origin !== 'object' || origin === null) return undefined;
  return {
    requestIds: isStringArray(origin.requestIds) ? origin.requestIds : [],
    traceparents: isStringArray(origin.traceparents) ? origin.traceparents : [],
  };
}

/** The origin of a job enqueued now (by an API call): the request under way and its span; undefined outside a request. */
export function currentJobOrigin(): JobOrigin | undefined {
  return originOfEvents([currentOutboxOrigin()]);
}

type RunnableJob = Pick<Job, 'id' | 'name' | 'queueName' | 'attemptsMade' | 'data'>;

/**
 * What the log lines of a job carry: the request that caused it as reqId (as in the lines of that
 * request), or reqIds when it handles the work of several; a job no request caused (a schedule's)
 * gets an id of its own, derived from the job so that its attempts share it. And the job's id and name.
 */
export function jobWorkContext(job: Pick<Job, 'id' | 'name' | 'queueName'>, origin: JobOrigin | undefined): WorkContext {
  const jobFields = { jobId: job.id, jobName: job.name, queue: job.queueName };
  const requestIds = origin?.requestIds ?? [];
  if (requestIds.length === 1) return { id: requestIds[0], logFields: jobFields };
  if (requestIds.length === 0) return { id: `${job.queueName}:${job.id}`, logFields: jobFields };
  return { logFields: { reqIds: requestIds, ...jobFields } };
}

/**
 * Runs a job's handler in the job's context: every log line it writes carries the request that
 * caused it, the outbox events it writes carry that request on, and, while tracing is on, its work
 * is a span continuing the request's trace. One line when it ends, as for a request.
 */
export async function runJob<T>(job: RunnableJob, handle: () => Promise<T>): Promise<T> {
  const origin = jobOriginOf(job.data);
  const attributes = {
    'messaging.system': 'bullmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': job.queueName,
    'messaging.message.id': job.id ?? '',
    'oms.job.name': job.name,
    'oms.job.attempt': job.attemptsMade + 1,
    'oms.request_ids': origin?.requestIds ?? [],
  };
  return runInWorkContext(jobWorkContext(job, origin), () =>
    inConsumerSpan(`process ${job.name}`, { attributes, causes: origin?.traceparents ?? [] }, async () => {
      const started = performance.now();
      try {
        const result = await handle();
        logger.log({ durationMs: Math.round(performance.now() - started) }, 'job completed');
        return result;
      } catch (error) {
        logger.warn({ durationMs: Math.round(performance.now() - started), err: error }, 'job failed');
        throw error;
      }
    }),
  );
}
