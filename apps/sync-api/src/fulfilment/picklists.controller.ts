import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope, PicklistsService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller, CallerScope } from '../api/authenticated-request';
import { RequiresPermission } from '../api/required-permission';
import { CreatePicklistDto } from './fulfilment.dto';
import { PicklistDto } from './fulfilment-response.dto';

@ApiTags('fulfilment')
@PublicApi()
@Controller('api/v1')
export class PicklistsController {
  constructor(private readonly picklists: PicklistsService) {}

  @Post('facilities/:id/picklists')
  @RequiresPermission('fulfilment')
  @HttpCode(201)
  @ApiOperation({
    summary: 'A picklist of the allocated items at the facility that no open picklist holds, oldest order first: they become PICKING',
    description: 'Two pickers at once never get the same item. 409 when no item there waits to be picked.',
  })
  @ApiCreatedResponse({ type: PicklistDto, description: 'The new open picklist' })
  @ApiErrors(400, 404, 409, 413)
  create(
    @Param('id', ParseUUIDPipe) facilityId: string,
    @Body() body: CreatePicklistDto,
    @Caller() caller: string,
    @CallerScope() scope: AccessScope,
  ): Promise<PicklistDto> {
    return this.picklists.create({ facilityId, limit: body.limit, orderIds: body.orderIds }, caller, scope);
  }

  @Get('picklists/:id')
  @RequiresPermission('fulfilment')
  @ApiOperation({ summary: 'A picklist with the items still on it' })
  @ApiOkResponse({ type: PicklistDto, description: 'The picklist' })
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<PicklistDto> {
    return this.picklists.get(id, scope);
  }

  @Post('picklists/:id/complete')
  @RequiresPermission('fulfilment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a picklist: its items stay PICKING until packed', description: 'A completed picklist answers as it is.' })
  @ApiOkResponse({ type: PicklistDto, description: 'The completed picklist' })
  @ApiErrors(400, 404)
  complete(@Param('id', ParseUUIDPipe) id: string, @CallerScope() scope: AccessScope): Promise<PicklistDto> {
    return this.picklists.complete(id, scope);
  }
}
