import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope, ReturnsService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerScope } from '../api/authenticated-request';
import { RequiresPermission } from '../api/required-permission';
import { CreateReturnDto, ReceiveReturnDto, ReturnDto } from './return.dto';

@ApiTags('returns')
@PublicApi()
@Controller('api/v1')
export class ReturnsController {
  constructor(private readonly returns: ReturnsService) {}

  @Post('orders/:id/returns')
  @RequiresPermission('fulfilment')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Announce items of an order that come back to a facility',
    description:
      'Only shipped or handed-over units can be returned: with every other return of the item, at most its quantity (409 naming the item otherwise). 404 for an unknown order, item or facility.',
  })
  @ApiCreatedResponse({ type: ReturnDto, description: 'The return, REQUESTED' })
  @ApiErrors(400, 404, 409, 413)
  request(@Param('id', ParseUUIDPipe) orderId: string, @Body() body: CreateReturnDto, @CallerScope() scope: AccessScope): Promise<ReturnDto> {
    return this.returns.request(orderId, body, scope);
  }

  @Get('orders/:id/returns')
  @RequiresPermission('orders:read')
  @ApiOperation({ summary: "The order's returns, oldest first" })
  @ApiOkResponse({ type: [ReturnDto] })
  @ApiErrors(400, 404)
  listOfOrder(@Param('id', ParseUUIDPipe) orderId: string, @CallerScope() scope: AccessScope): Promise<ReturnDto[]> {
    return this.returns.listOfOrder(orderId, scope);
  }

  @Get('returns/:id')
  @RequiresPermission('orders:read')
  @ApiOperation({ summary: 'One return' })
  @ApiOkResponse({ type: ReturnDto })
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<ReturnDto> {
    return this.returns.get(id, scope);
  }

  @Post('returns/:id/receive')
  @RequiresPermission('fulfilment')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive a return at its facility; with restock its units go back on hand there, and orders waiting for the products are routed again',
    description:
      'Writes a RETURN_RECEIVED history entry per item. Receiving a received return again with the same restock answers it as it is; with the other restock it is a 409.',
  })
  @ApiOkResponse({ type: ReturnDto, description: 'The return, RECEIVED' })
  @ApiErrors(400, 404, 409, 413)
  receive(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReceiveReturnDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<ReturnDto> {
    return this.returns.receive(id, body.restock, caller, scope);
  }
}
