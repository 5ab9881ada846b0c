import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FacilityGroupsService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller } from '../api/authenticated-request';
import { PageQueryDto } from '../api/common.dto';
import { RequiresPermission } from '../api/required-permission';
import { CreateFacilityGroupDto, FacilityGroupMemberDto } from './facility-group.dto';
import { FacilityGroupDto, FacilityGroupPageDto } from './facility-group-response.dto';

@ApiTags('facilities')
@PublicApi()
@Controller('api/v1/facility-groups')
export class FacilityGroupsController {
  constructor(private readonly groups: FacilityGroupsService) {}

  @RequiresPermission('catalog:write')
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a facility group' })
  @ApiCreatedResponse({ type: FacilityGroupDto, description: 'The group, without members yet' })
  @ApiErrors(400, 409, 413)
  create(@Body() body: CreateFacilityGroupDto): Promise<FacilityGroupDto> {
    return this.groups.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List facility groups with their members, oldest first' })
  @ApiOkResponse({ type: FacilityGroupPageDto, description: 'A page of groups' })
  @ApiErrors(400)
  list(@Query() query: PageQueryDto, @Caller() caller: string): Promise<FacilityGroupPageDto> {
    return this.groups.list(query, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a facility group with its members in order' })
  @ApiOkResponse({ type: FacilityGroupDto, description: 'The group' })
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<FacilityGroupDto> {
    return this.groups.get(id);
  }

  @RequiresPermission('catalog:write')
  @Put(':id/members/:facilityId')
  @ApiOperation({ summary: 'Put a facility in the group at a place in its order (or move it there)' })
  @ApiOkResponse({ type: FacilityGroupDto, description: 'The group after the change' })
  @ApiErrors(400, 404, 413)
  setMember(
    @Param('id', ParseUUIDPipe) groupId: string,
    @Param('facilityId', ParseUUIDPipe) facilityId: string,
    @Body() body: FacilityGroupMemberDto,
  ): Promise<FacilityGroupDto> {
    return this.groups.setMember({ groupId, facilityId, sequence: body.sequence });
  }

  @RequiresPermission('catalog:write')
  @Delete(':id/members/:facilityId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a facility out of the group' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(400, 404)
  removeMember(@Param('id', ParseUUIDPipe) groupId: string, @Param('facilityId', ParseUUIDPipe) facilityId: string): Promise<void> {
    return this.groups.removeMember(groupId, facilityId);
  }
}
