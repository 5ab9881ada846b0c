import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedResponse } from '@app/cache';
import { AccessScope, FacilitiesService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { RequiresPermission } from '../api/required-permission';
import { Caller, CallerScope } from '../api/authenticated-request';
import { cachedReads } from '../api/cached-reads';
import { PageQueryDto } from '../api/common.dto';
import { CreateFacilityDto, FacilityCapacityQueryDto, UpdateFacilityDto } from './facility.dto';
import { FacilityCapacityDto, FacilityDto, FacilityPageDto } from './facility-response.dto';

@ApiTags('facilities')
@PublicApi()
@Controller('api/v1/facilities')
export class FacilitiesController {
  constructor(private readonly facilities: FacilitiesService) {}

  @RequiresPermission('catalog:write')
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a facility (warehouse or store)' })
  @ApiCreatedResponse({ type: FacilityDto, description: 'The facility' })
  @ApiErrors(400, 409, 413)
  create(@Body() body: CreateFacilityDto): Promise<FacilityDto> {
    return this.facilities.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List facilities, oldest first' })
  @ApiOkResponse({ type: FacilityPageDto, description: 'A page of facilities' })
  @ApiErrors(400)
  list(@Query() query: PageQueryDto, @Caller() caller: string): Promise<FacilityPageDto> {
    return this.facilities.list(query, caller);
  }

  @Get(':id')
  @CachedResponse(cachedReads.facility)
  @ApiOperation({ summary: 'Get a facility' })
  @ApiOkResponse({ type: FacilityDto, description: 'The facility' })
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<FacilityDto> {
    return this.facilities.get(id);
  }

  /** Not cached: the count changes with every order brokered there. A key limited to other facilities gets 404. */
  @Get(':id/capacity')
  @ApiOperation({ summary: "A facility's capacity on a day: its maximum, the orders allocated there and what remains" })
  @ApiOkResponse({ type: FacilityCapacityDto, description: 'The capacity on that day' })
  @ApiErrors(400, 404)
  capacity(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: FacilityCapacityQueryDto,
    @CallerScope() scope: AccessScope,
  ): Promise<FacilityCapacityDto> {
    return this.facilities.capacity(id, query.date, scope);
  }

  @RequiresPermission('catalog:write')
  @Patch(':id')
  @ApiOperation({ summary: 'Change a facility' })
  @ApiOkResponse({ type: FacilityDto, description: 'The facility after the change' })
  @ApiErrors(400, 404, 413)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateFacilityDto): Promise<FacilityDto> {
    return this.facilities.update(id, body);
  }
}
