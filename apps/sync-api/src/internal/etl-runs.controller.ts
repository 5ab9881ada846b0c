import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard } from '@app/platform';
import { EtlRunsService } from '@app/warehouse';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../api/api-surface.decorators';
import { EtlRunConflictFilter } from './etl-run-conflict.filter';
import { CreateEtlRunDto, ListEtlRunsQueryDto } from './etl-run.dto';
import { EtlRunConflictDto, EtlRunDto, EtlRunListDto } from './etl-run-response.dto';

@ApiTags('internal')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@UseFilters(EtlRunConflictFilter)
@Controller('internal/warehouse/etl-runs')
export class EtlRunsController {
  constructor(private readonly runs: EtlRunsService) {}

  /** Queues a warehouse ETL run: incremental, or the orders of from..to loaded again. One run at a time. */
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: EtlRunDto, description: 'The queued run' })
  @ApiConflictResponse({ type: EtlRunConflictDto, description: 'A run is queued or running; its id is in the body' })
  @ApiErrors(400, 401, 503)
  create(@Body() body: CreateEtlRunDto): Promise<EtlRunDto> {
    return this.runs.requestManual(body);
  }

  /** The runs, newest first. */
  @Get()
  @ApiOkResponse({ type: EtlRunListDto })
  @ApiErrors(400, 401, 503)
  async list(@Query() query: ListEtlRunsQueryDto): Promise<EtlRunListDto> {
    return { items: await this.runs.list(query.limit) };
  }

  /** One run: its status, window, source, rows per table and error. */
  @Get(':id')
  @ApiOkResponse({ type: EtlRunDto })
  @ApiErrors(400, 401, 404, 503)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<EtlRunDto> {
    return this.runs.get(id);
  }
}
