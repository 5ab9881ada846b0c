import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

/** Dependency name (database, replica, redis; shutdown while draining) -> its state and details. */
const DEPENDENCIES: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
  example: { database: { status: 'up' }, redis: { status: 'up' } },
};

/** @nestjs/terminus's health check result. */
export class ReadinessDto {
  /** "error" when a critical dependency (the primary) is down or the instance drains. */
  status: 'ok' | 'error';

  @ApiProperty({ ...DEPENDENCIES, description: 'The dependencies that are up' })
  info: Record<string, unknown>;

  @ApiProperty({ ...DEPENDENCIES, description: 'The dependencies that are down' })
  error: Record<string, unknown>;

  @ApiProperty({ ...DEPENDENCIES, description: 'Every dependency' })
  details: Record<string, unknown>;
}
