import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InventoryService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller } from '../api/authenticated-request';
import { InventoryAdjustmentDto, ListInventoryQueryDto, SetOnHandDto } from './inventory.dto';

@ApiTags('inventory')
@PublicApi()
@Controller('api/v1/inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Put(':facilityId/:productId')
  @ApiErrors(400, 404, 409, 413)
  setOnHand(
    @Param('facilityId', ParseUUIDPipe) facilityId: string,
    @Param('productId', ParseUUIDPipe) productId: string,
    @Body() body: SetOnHandDto,
    @Caller() caller: string,
  ) {
    return this.inventory.setOnHand({ facilityId, productId, quantityOnHand: body.quantityOnHand, reason: body.reason ?? 'set on hand', actor: caller });
  }

  @Post('adjustments')
  @HttpCode(201)
  @ApiErrors(400, 404, 409, 413)
  adjust(@Body() body: InventoryAdjustmentDto, @Caller() caller: string) {
    return this.inventory.adjust({ ...body, actor: caller });
  }

  @Get()
  @ApiErrors(400)
  async list(@Query() query: ListInventoryQueryDto, @Caller() caller: string) {
    return { items: await this.inventory.list(query, caller) };
  }

  /** Every change of this inventory row, oldest first: what changed, why and by whom. */
  @Get(':facilityId/:productId/ledger')
  @ApiErrors(400, 404)
  async ledger(@Param('facilityId', ParseUUIDPipe) facilityId: string, @Param('productId', ParseUUIDPipe) productId: string) {
    return { items: await this.inventory.ledger({ facilityId, productId }) };
  }
}
