import { Controller, Get, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { HealthCheckResult } from '@nestjs/terminus';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness looks at nothing but the process: a dependency outage must not restart instances. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** What the load balancer probes: 503 when the primary is unreachable or the instance drains. */
  @Get('ready')
  @ApiResponse({ status: 503, description: 'Not ready: primary database down or draining (same body)' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const { ready, body } = await this.readiness.evaluate();
    void reply.code(ready ? 200 : 503);
    return body;
  }
}
