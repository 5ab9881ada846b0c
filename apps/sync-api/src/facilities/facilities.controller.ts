import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FacilitiesService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller } from '../api/authenticated-request';
import { PageQueryDto } from '../api/common.dto';
import { CreateFacilityDto, UpdateFacilityDto } from './facility.dto';

@ApiTags('facilities')
@PublicApi()
@Controller('api/v1/facilities')
export class FacilitiesController {
  constructor(private readonly facilities: FacilitiesService) {}

  @Post()
  @HttpCode(201)
  @ApiErrors(400, 409, 413)
  create(@Body() body: CreateFacilityDto) {
    return this.facilities.create(body);
  }

  @Get()
  @ApiErrors(400)
  list(@Query() query: PageQueryDto, @Caller() caller: string) {
    return this.facilities.list(query, caller);
  }

  @Get(':id')
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.facilities.get(id);
  }

  @Patch(':id')
  @ApiErrors(400, 404, 413)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateFacilityDto) {
    return this.facilities.update(id, body);
  }
}
