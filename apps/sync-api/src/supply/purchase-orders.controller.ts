import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope, PurchaseOrdersService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerScope } from '../api/authenticated-request';
import { RequiresPermission } from '../api/required-permission';
import {
  ChangePurchaseOrderDto,
  CreatePurchaseOrderDto,
  CreateReceiptDto,
  ListPurchaseOrdersQueryDto,
  PurchaseOrderDto,
  PurchaseOrderPageDto,
} from './purchase-order.dto';

@ApiTags('supply')
@PublicApi()
@Controller('api/v1/purchase-orders')
export class PurchaseOrdersController {
  constructor(private readonly purchaseOrders: PurchaseOrdersService) {}

  @Post()
  @RequiresPermission('inventory:write')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Order units from a vendor, due at a facility on an expected date',
    description:
      'Waiting pre-orders of its products are promised again at once (first come, first promised, earliest expected date first). An externalId already known answers that purchase order.',
  })
  @ApiCreatedResponse({ type: PurchaseOrderDto, description: 'The purchase order, OPEN' })
  @ApiErrors(400, 404, 409, 413)
  create(@Body() body: CreatePurchaseOrderDto, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<PurchaseOrderDto> {
    return this.purchaseOrders.create(body, caller, scope);
  }

  @Get()
  @ApiOperation({ summary: 'Purchase orders, newest first' })
  @ApiOkResponse({ type: PurchaseOrderPageDto })
  @ApiErrors(400)
  list(@Query() query: ListPurchaseOrdersQueryDto, @CallerScope() scope: AccessScope): Promise<PurchaseOrderPageDto> {
    return this.purchaseOrders.list(query, scope);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One purchase order with its lines and receipts' })
  @ApiOkResponse({ type: PurchaseOrderDto })
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<PurchaseOrderDto> {
    return this.purchaseOrders.get(id, scope);
  }

  @Patch(':id')
  @RequiresPermission('inventory:write')
  @ApiOperation({ summary: 'Change the expected date of an OPEN purchase order; its products’ waiting pre-orders are promised again' })
  @ApiOkResponse({ type: PurchaseOrderDto })
  @ApiErrors(400, 404, 409, 413)
  change(@Param('id', ParseUUIDPipe) id: string, @Body() body: ChangePurchaseOrderDto, @CallerScope() scope: AccessScope): Promise<PurchaseOrderDto> {
    return this.purchaseOrders.changeExpectedDate(id, body.expectedDate, scope);
  }

  @Post(':id/receipts')
  @RequiresPermission('inventory:write')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Receive units against the purchase order: on hand rises at its facility and backorders of the products are routed again, oldest first',
    description:
      'Partial receipts and several per purchase order are fine; more than a line still has open, or any receipt once the purchase order is RECEIVED or CLOSED, is a 409. A product that is not a line of it is a 400.',
  })
  @ApiCreatedResponse({ type: PurchaseOrderDto, description: 'The purchase order with the new receipt' })
  @ApiErrors(400, 404, 409, 413)
  receive(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CreateReceiptDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<PurchaseOrderDto> {
    return this.purchaseOrders.receive(id, body, caller, scope);
  }

  @Post(':id/close')
  @RequiresPermission('inventory:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Close the purchase order: what it still had open is no longer coming, and pre-orders promised against it are promised again',
    description: 'Closing a RECEIVED or CLOSED purchase order answers it as it is.',
  })
  @ApiOkResponse({ type: PurchaseOrderDto })
  @ApiErrors(400, 404, 413)
  close(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<PurchaseOrderDto> {
    return this.purchaseOrders.close(id, scope);
  }
}
