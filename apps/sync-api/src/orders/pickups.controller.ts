import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope, PickupService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerScope } from '../api/authenticated-request';
import { RequiresPermission } from '../api/required-permission';
import { OrderDto } from './order-response.dto';
import { HandoverDto, ReadyForPickupDto } from './pickup.dto';

@ApiTags('orders')
@PublicApi()
@Controller('api/v1/orders')
export class PickupsController {
  constructor(private readonly pickups: PickupService) {}

  @Post(':id/ready-for-pickup')
  @RequiresPermission('fulfilment')
  @HttpCode(200)
  @ApiOperation({
    summary: "The store makes a pickup order's items ready to be collected",
    description:
      'Items allocated (or being picked) at the pickup store become READY_FOR_PICKUP, and an order.ready_for_pickup event tells the customer. ' +
      'Items not collected within PICKUP_EXPIRY_DAYS are cancelled by the AUTO_CANCEL_CRON schedule and their stock released. ' +
      'A 409 names the reason: not a pickup order, another store, or no item there that may become ready (with the statuses its items are in).',
  })
  @ApiOkResponse({ type: OrderDto, description: 'The order with its items ready for pickup' })
  @ApiErrors(400, 404, 409, 413)
  ready(@Param('id', ParseUUIDPipe) orderId: string, @Body() body: ReadyForPickupDto, @CallerScope() scope: AccessScope): Promise<OrderDto> {
    return this.pickups.readyForPickup(orderId, body.facilityId, scope);
  }

  @Post(':id/handover')
  @RequiresPermission('fulfilment')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The store hands the ready items over to the customer against proof',
    description:
      'The items become HANDED_OVER, their reservation and stock on hand drop (ledger rows), the proof is kept and shown in their history, ' +
      'and the order is COMPLETED once every item is closed. 409 when the order is not a pickup order or has no item ready for pickup.',
  })
  @ApiOkResponse({ type: OrderDto, description: 'The order after the handover' })
  @ApiErrors(400, 404, 409, 413)
  handover(
    @Param('id', ParseUUIDPipe) orderId: string,
    @Body() body: HandoverDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<OrderDto> {
    return this.pickups.handover(orderId, body.proof, caller, scope);
  }
}
