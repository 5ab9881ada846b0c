import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AccessScope, OrderEditsService, OrderHoldsService, OrdersService, ShipmentsService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerSalesChannel, CallerScope } from '../api/authenticated-request';
import { RequiresPermission } from '../api/required-permission';
import { CancelOrderDto, CreateOrderDto, FulfillmentDto, HoldOrderDto, ListOrdersQueryDto, UpdateOrderDto } from './order.dto';
import { FulfillmentResultDto, OrderDto, OrderHistoryDto, OrderPageDto } from './order-response.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function idempotencyKeyFrom(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new BadRequestException({
      message: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
      details: [{ field: 'Idempotency-Key', message: 'invalid header' }],
    });
  }
  return header;
}

@ApiTags('orders')
@PublicApi()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly holds: OrderHoldsService,
    private readonly edits: OrderEditsService,
    private readonly shipments: ShipmentsService,
  ) {}

  /** Creates an order, approved at once (status APPROVED) or held by the first approval rule it matches (HELD); brokering happens asynchronously. Replays answer 200 with the first order. */
  @Post()
  @RequiresPermission('orders:write')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key (per API key) returns the same order' })
  @ApiCreatedResponse({ type: OrderDto, description: 'The new order' })
  @ApiOkResponse({ type: OrderDto, description: 'A replay (same Idempotency-Key or externalId): the order created first' })
  @ApiErrors(400, 413, 422)
  async create(
    @Body() body: CreateOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Caller() caller: string,
    @CallerSalesChannel() salesChannel: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const requester = { apiKeyId: caller, salesChannel, idempotencyKey: idempotencyKeyFrom(idempotencyKey) };
    const { order, created } = await this.orders.create(body, requester);
    void reply.code(created ? 201 : 200);
    return order;
  }

  @Get()
  @RequiresPermission('orders:read')
  @ApiOperation({ summary: 'List orders, newest first' })
  @ApiOkResponse({ type: OrderPageDto, description: 'A page of orders' })
  @ApiErrors(400)
  list(@Query() query: ListOrdersQueryDto, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<OrderPageDto> {
    return this.orders.list(query, caller, scope);
  }

  @Get(':id')
  @RequiresPermission('orders:read')
  @ApiOperation({ summary: 'Get an order with its items' })
  @ApiOkResponse({ type: OrderDto, description: 'The order' })
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<OrderDto> {
    return this.orders.get(id, scope);
  }

  @Patch(':id')
  @RequiresPermission('orders:write')
  @ApiOperation({
    summary: "Edit an order's address, shipping method, pickup facility, priority, promise date or tags",
    description:
      'A change of anything but tags routes the items not yet picked again at once: allocated items release their reservations and are routed under the active rules, as brokering does. An edit that changes nothing writes no history. 409 once every item is picked or further (so when the order is completed or cancelled).',
  })
  @ApiOkResponse({ type: OrderDto, description: 'The edited order, as routed' })
  @ApiErrors(400, 404, 409, 413)
  edit(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOrderDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<OrderDto> {
    return this.edits.edit(id, body, caller, scope);
  }

  @Get(':id/history')
  @RequiresPermission('orders:read')
  @ApiOperation({ summary: "The order's history, oldest first: created, allocated, queued, shipped, cancelled" })
  @ApiOkResponse({ type: OrderHistoryDto, description: 'The history' })
  @ApiErrors(400, 404)
  async history(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<OrderHistoryDto> {
    return { items: await this.orders.history(id, scope) };
  }

  @Post(':id/cancel')
  @RequiresPermission('orders:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an order and release its reservations' })
  @ApiOkResponse({ type: OrderDto, description: 'The cancelled order' })
  @ApiErrors(400, 404, 409, 413)
  cancel(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CancelOrderDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<OrderDto> {
    return this.orders.cancel(id, caller, body.reason, scope);
  }

  @Post(':id/hold')
  @RequiresPermission('orders:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hold an order: it is not brokered until released',
    description:
      'Allocated and picking items release their reservations and wait in BROKERING. Holding a held order changes nothing. 409 once an item is packed or further, or when the order is completed or cancelled.',
  })
  @ApiOkResponse({ type: OrderDto, description: 'The held order' })
  @ApiErrors(400, 404, 409, 413)
  hold(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: HoldOrderDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<OrderDto> {
    return this.holds.hold(id, body, caller, scope);
  }

  @Post(':id/release')
  @RequiresPermission('orders:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release a held order: APPROVED again, and routed at once', description: '409 when the order is not held.' })
  @ApiOkResponse({ type: OrderDto, description: 'The released order, as routed' })
  @ApiErrors(400, 404, 409)
  release(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<OrderDto> {
    return this.holds.release(id, scope);
  }

  @Post(':id/fulfillments')
  @RequiresPermission('fulfilment')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Pack and ship, in one step, every item of the order that a facility holds (allocated or picking)',
    description: 'One shipment, packed and shipped at once: reservations and stock on hand drop. 409 when the facility holds no such item.',
  })
  @ApiCreatedResponse({ type: FulfillmentResultDto, description: 'What shipped, and the order after it' })
  @ApiErrors(400, 404, 409, 413)
  fulfill(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FulfillmentDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<FulfillmentResultDto> {
    const { facilityId, ...tracking } = body;
    return this.shipments.packAndShip(id, facilityId, tracking, caller, scope);
  }
}
