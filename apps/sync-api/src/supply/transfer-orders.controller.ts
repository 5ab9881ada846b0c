import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope, TransferOrdersService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerScope } from '../api/authenticated-request';
import { RequiresPermission } from '../api/required-permission';
import { CreateTransferOrderDto, ListTransferOrdersQueryDto, TransferOrderDto, TransferOrderPageDto } from './transfer-order.dto';

@ApiTags('transfer-orders')
@PublicApi()
@Controller('api/v1/transfer-orders')
export class TransferOrdersController {
  constructor(private readonly transfers: TransferOrdersService) {}

  @Post()
  @RequiresPermission('inventory:write')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Move stock from one facility to another; its units are reserved at the source at once (ATP drops there)',
    description:
      'The key must reach both facilities. 409 naming the product and what is available when the source has too little stock (on hand less reserved; a transfer may take the safety stock). 404 for an unknown facility or product.',
  })
  @ApiCreatedResponse({ type: TransferOrderDto, description: 'The transfer order, CREATED' })
  @ApiErrors(400, 404, 409, 413)
  create(@Body() body: CreateTransferOrderDto, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<TransferOrderDto> {
    return this.transfers.create(body, caller, scope);
  }

  @Get()
  @ApiOperation({ summary: 'Transfer orders, newest first' })
  @ApiOkResponse({ type: TransferOrderPageDto, description: 'A page of transfer orders' })
  @ApiErrors(400)
  list(@Query() query: ListTransferOrdersQueryDto, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<TransferOrderPageDto> {
    return this.transfers.list(query, caller, scope);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One transfer order' })
  @ApiOkResponse({ type: TransferOrderDto })
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<TransferOrderDto> {
    return this.transfers.get(id, scope);
  }

  @Post(':id/ship')
  @RequiresPermission('inventory:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ship a CREATED transfer order: its units leave on hand at the source and are in transit (409 in any other status)',
  })
  @ApiOkResponse({ type: TransferOrderDto, description: 'The transfer order, SHIPPED' })
  @ApiErrors(400, 404, 409)
  ship(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<TransferOrderDto> {
    return this.transfers.ship(id, caller, scope);
  }

  @Post(':id/receive')
  @RequiresPermission('inventory:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive a SHIPPED transfer order: its units go on hand at the destination, and orders waiting for them are routed again',
    description: '409 unless SHIPPED, or when on hand would pass 1000000000.',
  })
  @ApiOkResponse({ type: TransferOrderDto, description: 'The transfer order, RECEIVED' })
  @ApiErrors(400, 404, 409)
  receive(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<TransferOrderDto> {
    return this.transfers.receive(id, caller, scope);
  }

  @Post(':id/cancel')
  @RequiresPermission('inventory:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a transfer order before it ships: the reservation at the source is released',
    description: 'A cancelled transfer order is answered as it is; a shipped or received one is a 409.',
  })
  @ApiOkResponse({ type: TransferOrderDto, description: 'The transfer order, CANCELLED' })
  @ApiErrors(400, 404, 409)
  cancel(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<TransferOrderDto> {
    return this.transfers.cancel(id, caller, scope);
  }
}
