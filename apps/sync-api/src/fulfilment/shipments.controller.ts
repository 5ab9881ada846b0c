import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope, ShipmentsService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerScope } from '../api/authenticated-request';
import { RequiresPermission } from '../api/required-permission';
import { CreateShipmentDto, ShipShipmentDto } from './fulfilment.dto';
import { ShipmentDto, ShipmentListDto } from './fulfilment-response.dto';

@ApiTags('fulfilment')
@PublicApi()
@Controller('api/v1')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Post('shipments')
  @RequiresPermission('fulfilment')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Pack items of one order into a shipment at the facility that holds them: they become PACKED',
    description:
      'Each item must be ALLOCATED or PICKING at that facility (409 naming its status otherwise). Reservations stay until the shipment ships.',
  })
  @ApiCreatedResponse({ type: ShipmentDto, description: 'The packed shipment' })
  @ApiErrors(400, 404, 409, 413)
  pack(@Body() body: CreateShipmentDto, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<ShipmentDto> {
    return this.shipments.pack(body, caller, scope);
  }

  @Get('shipments/:id')
  @RequiresPermission('fulfilment')
  @ApiOperation({ summary: 'A shipment with its items and packages' })
  @ApiOkResponse({ type: ShipmentDto, description: 'The shipment' })
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<ShipmentDto> {
    return this.shipments.get(id, scope);
  }

  @Post('shipments/:id/ship')
  @RequiresPermission('fulfilment')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ship a packed shipment: its items are SHIPPED, their reservations and stock on hand drop',
    description: 'The order is COMPLETED once every item is shipped, handed over or cancelled. 409 once shipped or unpacked.',
  })
  @ApiOkResponse({ type: ShipmentDto, description: 'The shipped shipment' })
  @ApiErrors(400, 404, 409, 413)
  ship(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ShipShipmentDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<ShipmentDto> {
    return this.shipments.ship(id, body, caller, scope);
  }

  @Post('shipments/:id/unpack')
  @RequiresPermission('fulfilment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unpack a packed shipment: its items go back to PICKING', description: '409 once shipped or unpacked.' })
  @ApiOkResponse({ type: ShipmentDto, description: 'The shipment, UNPACKED' })
  @ApiErrors(400, 404, 409)
  unpack(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<ShipmentDto> {
    return this.shipments.unpack(id, caller, scope);
  }

  @Get('orders/:id/shipments')
  @RequiresPermission('orders:read')
  @ApiOperation({ summary: "The order's shipments, oldest first" })
  @ApiOkResponse({ type: ShipmentListDto, description: 'The shipments' })
  @ApiErrors(400, 404)
  async ofOrder(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<ShipmentListDto> {
    return { items: await this.shipments.ofOrder(id, scope) };
  }
}
