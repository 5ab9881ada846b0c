import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RoutingRunsService } from '@app/data';
import { AdminTokenGuard } from '@app/platform';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../../api/api-surface.decorators';
import { QueueSummaryListDto, RoutingRunRequestedDto } from './routing-runs.dto';

@ApiTags('routing')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@ApiErrors(401, 503)
@Controller('internal/routing')
export class RoutingRunsController {
  constructor(private readonly runs: RoutingRunsService) {}

  @Post('groups/:id/runs')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Run a routing group now',
    description: 'A worker routes the orders waiting in the queues the group routes; GET /internal/routing/runs shows the run once it finishes.',
  })
  @ApiAcceptedResponse({ type: RoutingRunRequestedDto, description: 'The run, queued' })
  @ApiErrors(400, 404)
  run(@Param('id', ParseUUIDPipe) groupId: string): Promise<RoutingRunRequestedDto> {
    return this.runs.requestRun(groupId);
  }

  @Get('queues')
  @ApiOperation({ summary: 'Unallocated items and their orders per queue they wait in' })
  @ApiOkResponse({ type: QueueSummaryListDto })
  async queues(): Promise<QueueSummaryListDto> {
    return { items: await this.runs.queues() };
  }
}
