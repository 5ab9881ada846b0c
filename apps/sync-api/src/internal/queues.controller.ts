import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { QueueOverview } from '@app/jobs';
import { AdminTokenGuard } from '@app/platform';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../api/api-surface.decorators';
import { QueueOverviewDto } from './queue-overview.dto';

@ApiTags('internal')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@Controller('internal/queues')
export class QueuesController {
  constructor(private readonly overview: QueueOverview) {}

  /** Per queue: jobs waiting, active, completed, failed, delayed and paused, and the schedules with their next run. */
  @Get()
  @ApiOkResponse({ type: QueueOverviewDto })
  @ApiErrors(401, 503)
  async queues(): Promise<QueueOverviewDto> {
    return { queues: await this.overview.describe() };
  }
}
