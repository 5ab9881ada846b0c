import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope, OrdersService, RejectionService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerScope } from '../api/authenticated-request';
import { RequiresPermission } from '../api/required-permission';
import { RejectItemDto } from './order.dto';
import { OrderDto } from './order-response.dto';

@ApiTags('orders')
@PublicApi()
@Controller('api/v1/orders')
export class ItemRejectionsController {
  constructor(
    private readonly rejections: RejectionService,
    private readonly orders: OrdersService,
  ) {}

  @Post(':id/items/:itemId/reject')
  @RequiresPermission('fulfilment')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The facility holding an item rejects it: its reservation is released, stock follows the reason, and the item is routed again elsewhere',
    description:
      'The rejecting facility is never chosen for that item again. An item being picked leaves its picklist. 409 unless the item is ALLOCATED or PICKING.',
  })
  @ApiOkResponse({ type: OrderDto, description: 'The order after the item was routed again' })
  @ApiErrors(400, 404, 409, 413)
  async reject(
    @Param('id', ParseUUIDPipe) orderId: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() body: RejectItemDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<OrderDto> {
    await this.rejections.reject({ orderId, itemId, reason: body.reason, note: body.note }, caller, scope);
    return this.orders.get(orderId, scope);
  }
}
