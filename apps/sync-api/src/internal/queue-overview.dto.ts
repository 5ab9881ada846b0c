import { ApiProperty } from '@nestjs/swagger';
import { QueueName } from '@app/jobs';
import { IntegerProperty } from '../api/schema-properties';

export class JobCountsDto {
  @IntegerProperty({ minimum: 0 })
  waiting: number;

  @IntegerProperty({ minimum: 0 })
  active: number;

  @IntegerProperty({ minimum: 0 })
  completed: number;

  /** Kept a week for inspection. */
  @IntegerProperty({ minimum: 0 })
  failed: number;

  /** Waiting for a retry (exponential backoff) or a delay. */
  @IntegerProperty({ minimum: 0 })
  delayed: number;

  @IntegerProperty({ minimum: 0 })
  paused: number;
}

export class ScheduleDto {
  /** @example "brokering-sweep" */
  id: string;

  /** Cron pattern. @example "0 3 * * *" */
  pattern: string | null;

  /** When it fires next. */
  next: Date | null;
}

export class QueueStatusDto {
  @ApiProperty({ enum: Object.values(QueueName) })
  name: QueueName;

  counts: JobCountsDto;

  schedules: ScheduleDto[];
}

export class QueueOverviewDto {
  queues: QueueStatusDto[];
}
