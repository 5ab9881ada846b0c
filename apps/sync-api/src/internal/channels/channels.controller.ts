import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChannelsService } from '@app/data';
import { AdminTokenGuard } from '@app/platform';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../../api/api-surface.decorators';
import { ChannelDto, ChannelListDto, ChannelThresholdDto, CreateChannelDto, UpdateChannelDto } from './channel.dto';

/** Sales channels. A change applies to every order and availability read after its response, on every instance. */
@ApiTags('channels')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@ApiErrors(401, 503)
@Controller('internal/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a sales channel', description: 'A SHOPIFY channel needs the `webhookSecret` its webhooks are signed with.' })
  @ApiCreatedResponse({ type: ChannelDto, description: 'The channel (never its secret)' })
  @ApiErrors(400, 409)
  create(@Body() body: CreateChannelDto): Promise<ChannelDto> {
    return this.channels.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Every sales channel, by code' })
  @ApiOkResponse({ type: ChannelListDto, description: 'The channels' })
  async list(): Promise<ChannelListDto> {
    return { items: await this.channels.list() };
  }

  @Get(':code')
  @ApiOperation({ summary: 'One sales channel' })
  @ApiOkResponse({ type: ChannelDto, description: 'The channel' })
  @ApiErrors(404)
  get(@Param('code') code: string): Promise<ChannelDto> {
    return this.channels.get(code);
  }

  @Patch(':code')
  @ApiOperation({ summary: 'Rename a channel, rotate its webhook secret or change whose stock it sells' })
  @ApiOkResponse({ type: ChannelDto, description: 'The channel' })
  @ApiErrors(400, 404)
  update(@Param('code') code: string, @Body() body: UpdateChannelDto): Promise<ChannelDto> {
    return this.channels.update(code, body);
  }

  @Put(':code/threshold')
  @ApiOperation({ summary: "Set the units of every product held back from the channel's availability" })
  @ApiOkResponse({ type: ChannelDto, description: 'The channel' })
  @ApiErrors(400, 404)
  setThreshold(@Param('code') code: string, @Body() body: ChannelThresholdDto): Promise<ChannelDto> {
    return this.channels.setThreshold(code, body.units);
  }
}
