import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope, InventoryService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerScope } from '../api/authenticated-request';
import { PageQueryDto } from '../api/common.dto';
import { RequiresPermission } from '../api/required-permission';
import { InventoryAdjustmentDto, ListInventoryQueryDto, SetOnHandDto } from './inventory.dto';
import { InventoryListDto, InventoryRowDto, LedgerPageDto } from './inventory-response.dto';

@ApiTags('inventory')
@PublicApi()
@Controller('api/v1/inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Put(':facilityId/:productId')
  @RequiresPermission('inventory:write')
  @ApiOperation({ summary: 'Set the on-hand quantity of a product at a facility (e.g. a cycle count)' })
  @ApiOkResponse({ type: InventoryRowDto, description: 'The inventory row' })
  @ApiErrors(400, 404, 409, 413)
  setOnHand(
    @Param('facilityId', ParseUUIDPipe) facilityId: string,
    @Param('productId', ParseUUIDPipe) productId: string,
    @Body() body: SetOnHandDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<InventoryRowDto> {
    return this.inventory.setOnHand(
      {
        facilityId,
        productId,
        quantityOnHand: body.quantityOnHand,
        minimumStock: body.minimumStock,
        reason: body.reason ?? 'set on hand',
        actor: caller,
      },
      scope,
    );
  }

  @Post('adjustments')
  @RequiresPermission('inventory:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Change the on-hand quantity by a delta' })
  @ApiCreatedResponse({ type: InventoryRowDto, description: 'The inventory row' })
  @ApiErrors(400, 404, 409, 413)
  adjust(@Body() body: InventoryAdjustmentDto, @Caller() caller: string, @CallerScope() scope: AccessScope): Promise<InventoryRowDto> {
    return this.inventory.adjust({ ...body, actor: caller }, scope);
  }

  @Get()
  @ApiOperation({ summary: 'Inventory rows, optionally of one product or facility' })
  @ApiOkResponse({ type: InventoryListDto, description: 'The matching inventory rows' })
  @ApiErrors(400)
  async list(@Query() query: ListInventoryQueryDto, @Caller() caller: string): Promise<InventoryListDto> {
    return { items: await this.inventory.list(query, caller) };
  }

  /** Every change of this inventory row, newest first: what changed, why and by whom. */
  @Get(':facilityId/:productId/ledger')
  @ApiOkResponse({ type: LedgerPageDto, description: 'A page of the ledger entries' })
  @ApiErrors(400, 404)
  ledger(
    @Param('facilityId', ParseUUIDPipe) facilityId: string,
    @Param('productId', ParseUUIDPipe) productId: string,
    @Query() query: PageQueryDto,
  ): Promise<LedgerPageDto> {
    return this.inventory.ledger({ facilityId, productId }, query);
  }
}
