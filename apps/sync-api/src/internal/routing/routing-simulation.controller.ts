import { BadRequestException, Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RoutingSimulator } from '@app/data';
import { AdminTokenGuard } from '@app/platform';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../../api/api-surface.decorators';
import { SimulateRoutingDto, SimulationDto } from './routing-simulation.dto';

@ApiTags('routing')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@ApiErrors(401, 503)
@Controller('internal/routing')
export class RoutingSimulationController {
  constructor(private readonly simulator: RoutingSimulator) {}

  @Post('simulate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Route an order as brokering would, reserving nothing, and explain every candidate facility of every rule',
    description: 'With nothing changed in between, brokering then allocates what this returns.',
  })
  @ApiOkResponse({ type: SimulationDto, description: 'The allocations, what stays unfilled, and the trace per rule' })
  @ApiErrors(400, 404, 409)
  simulate(@Body() body: SimulateRoutingDto): Promise<SimulationDto> {
    const { orderId, order, salesChannel, groupId } = body;
    if (orderId !== undefined && order !== undefined) {
      throw new BadRequestException({
        message: 'send orderId or order, not both',
        details: [{ field: 'orderId', message: 'not allowed with order' }],
      });
    }
    return this.simulator.simulate({ orderId, order: order && { ...order, salesChannel }, groupId });
  }
}
