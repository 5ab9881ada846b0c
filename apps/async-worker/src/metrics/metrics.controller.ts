import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { AdminTokenGuard, MetricsRegistry } from '@app/platform';

/** Prometheus text format on the health port, with the admin token as on the sync-api's internal port. */
@Controller('metrics')
@UseGuards(AdminTokenGuard)
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
