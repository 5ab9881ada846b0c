import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard, MetricsRegistry } from '@app/platform';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../api/api-surface.decorators';

@ApiTags('internal')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@Controller('metrics')
@UseGuards(AdminTokenGuard)
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  /** Prometheus text format (internal port only). */
  @Get()
  @ApiOkResponse({ description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors(401)
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
