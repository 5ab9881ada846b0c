import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard, MetricsRegistry } from '@app/platform';
import { ApiErrors } from '../api/api-surface.decorators';

@ApiTags('internal')
@ApiBearerAuth()
@Controller('metrics')
@UseGuards(AdminTokenGuard)
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  /** Prometheus text format (internal port only). */
  @Get()
  @ApiErrors(401)
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
