import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RoutingConfigService } from '@app/data';
import { AdminTokenGuard } from '@app/platform';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../../api/api-surface.decorators';
import { PageQueryDto } from '../../api/common.dto';
import {
  CreateRoutingDto,
  CreateRoutingGroupDto,
  CreateRoutingRuleDto,
  ListRoutingRunsQueryDto,
  UpdateRoutingDto,
  UpdateRoutingGroupDto,
  UpdateRoutingRuleDto,
} from './routing-config.dto';
import { RoutingDto, RoutingGroupDto, RoutingGroupPageDto, RoutingRuleDto, RoutingRunListDto } from './routing-config-response.dto';

/**
 * The routing configuration: groups, their routings and the routings' rules. A change applies to
 * every order routed after its response, on every instance and worker.
 */
@ApiTags('routing')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@ApiErrors(401, 503)
@Controller('internal/routing')
export class RoutingConfigController {
  constructor(private readonly routing: RoutingConfigService) {}

  @Post('groups')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a routing group (without routings)' })
  @ApiCreatedResponse({ type: RoutingGroupDto, description: 'The group' })
  @ApiErrors(400, 409)
  createGroup(@Body() body: CreateRoutingGroupDto): Promise<RoutingGroupDto> {
    return this.routing.createGroup(body);
  }

  @Get('groups')
  @ApiOperation({ summary: 'List routing groups, oldest first, each whole' })
  @ApiOkResponse({ type: RoutingGroupPageDto, description: 'A page of groups' })
  @ApiErrors(400)
  listGroups(@Query() query: PageQueryDto): Promise<RoutingGroupPageDto> {
    return this.routing.listGroups(query);
  }

  @Get('groups/:id')
  @ApiOperation({
    summary: 'Get a routing group whole: its routings and their rules, by sequence',
    description: 'Read as the routing engine reads it.',
  })
  @ApiOkResponse({ type: RoutingGroupDto, description: 'The group' })
  @ApiErrors(400, 404)
  getGroup(@Param('id', ParseUUIDPipe) id: string): Promise<RoutingGroupDto> {
    return this.routing.getGroup(id);
  }

  @Patch('groups/:id')
  @ApiOperation({ summary: 'Change a routing group', description: 'A second ACTIVE ORDER_APPROVED group is a 409.' })
  @ApiOkResponse({ type: RoutingGroupDto, description: 'The group after the change' })
  @ApiErrors(400, 404, 409)
  updateGroup(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateRoutingGroupDto): Promise<RoutingGroupDto> {
    return this.routing.updateGroup(id, body);
  }

  @Delete('groups/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a routing group with its routings and rules (its runs stay)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  deleteGroup(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.routing.deleteGroup(id);
  }

  @Post('groups/:id/routings')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a routing to a group' })
  @ApiCreatedResponse({ type: RoutingDto, description: 'The routing' })
  @ApiErrors(400, 404)
  addRouting(@Param('id', ParseUUIDPipe) groupId: string, @Body() body: CreateRoutingDto): Promise<RoutingDto> {
    return this.routing.addRouting(groupId, body);
  }

  @Patch('routings/:id')
  @ApiOperation({ summary: 'Change a routing' })
  @ApiOkResponse({ type: RoutingDto, description: 'The routing after the change, with its rules' })
  @ApiErrors(400, 404)
  updateRouting(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateRoutingDto): Promise<RoutingDto> {
    return this.routing.updateRouting(id, body);
  }

  @Delete('routings/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a routing with its rules' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  deleteRouting(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.routing.deleteRouting(id);
  }

  @Post('routings/:id/rules')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a rule to a routing' })
  @ApiCreatedResponse({ type: RoutingRuleDto, description: 'The rule' })
  @ApiErrors(400, 404)
  addRule(@Param('id', ParseUUIDPipe) routingId: string, @Body() body: CreateRoutingRuleDto): Promise<RoutingRuleDto> {
    return this.routing.addRule(routingId, body);
  }

  @Patch('rules/:id')
  @ApiOperation({ summary: 'Change a rule' })
  @ApiOkResponse({ type: RoutingRuleDto, description: 'The rule after the change' })
  @ApiErrors(400, 404)
  updateRule(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateRoutingRuleDto): Promise<RoutingRuleDto> {
    return this.routing.updateRule(id, body);
  }

  @Delete('rules/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a rule' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  deleteRule(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.routing.deleteRule(id);
  }

  @Get('runs')
  @ApiOperation({ summary: 'List the runs of the routing engine, newest first' })
  @ApiOkResponse({ type: RoutingRunListDto })
  @ApiErrors(400)
  async listRuns(@Query() query: ListRoutingRunsQueryDto): Promise<RoutingRunListDto> {
    return { items: await this.routing.listRuns(query) };
  }
}
