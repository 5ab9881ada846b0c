import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HealthCheckResult } from '@nestjs/terminus';
import { arrivedOnInternalPort } from '../http/internal-listener';
import { LivenessDto, ReadinessDto } from './health-response.dto';
import { publicReadiness } from './public-readiness';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
// An explicit empty requirement: the load balancer probes these without credentials.
@ApiSecurity({})
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness looks at nothing but the process: a dependency outage must not restart instances. */
  @Get('live')
  @ApiOkResponse({ type: LivenessDto, description: 'The process runs' })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  /** What the load balancer probes: 503 when the primary is unreachable or the instance drains. */
  @Get('ready')
  @ApiOkResponse({ type: ReadinessDto, description: 'Ready; a replica or Redis outage is reported in `details` only' })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'Not ready: primary database down or draining' })
  async ready(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const { ready, body } = await this.readiness.evaluate();
    void reply.code(ready ? 200 : 503);
    // Addresses and client errors help an operator, and an attacker: only the internal port shows them.
    return arrivedOnInternalPort(request) ? body : publicReadiness(body);
  }
}
