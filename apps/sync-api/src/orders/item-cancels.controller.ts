import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope, ItemCancelService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerScope } from '../api/authenticated-request';
import { RequiresPermission } from '../api/required-permission';
import { CancelItemDto, UpdateOrderItemDto } from './item-cancel.dto';
import { OrderDto } from './order-response.dto';

@ApiTags('orders')
@PublicApi()
@Controller('api/v1/orders')
export class ItemCancelsController {
  constructor(private readonly cancels: ItemCancelService) {}

  @Post(':id/items/:itemId/cancel')
  @RequiresPermission('orders:write')
  @HttpCode(200)
  @ApiOperation({
    summary: "Cancel one item of an order and release its reservation; the order's status follows from its items",
    description:
      'Cancelling the last open item completes the order when another item shipped, and cancels it otherwise. A cancelled item answers as it is; 409 once the item has shipped.',
  })
  @ApiOkResponse({ type: OrderDto, description: 'The order after the cancel' })
  @ApiErrors(400, 404, 409, 413)
  cancel(
    @Param('id', ParseUUIDPipe) orderId: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() body: CancelItemDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<OrderDto> {
    return this.cancels.cancel(orderId, itemId, caller, body.reason, scope);
  }

  @Patch(':id/items/:itemId')
  @RequiresPermission('orders:write')
  @ApiOperation({
    summary: 'Clear or move the auto-cancel time of an item that waits for stock',
    description:
      'The AUTO_CANCEL_CRON schedule cancels waiting items whose autoCancelAt has passed. 409 unless the item is BACKORDERED in the UNFILLABLE queue, where routing parks it with one.',
  })
  @ApiOkResponse({ type: OrderDto, description: 'The order after the change' })
  @ApiErrors(400, 404, 409, 413)
  update(
    @Param('id', ParseUUIDPipe) orderId: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() body: UpdateOrderItemDto,
    @CallerScope() scope: AccessScope,
  ): Promise<OrderDto> {
    return this.cancels.setAutoCancelAt(orderId, itemId, body.autoCancelAt === null ? null : new Date(body.autoCancelAt), scope);
  }
}
