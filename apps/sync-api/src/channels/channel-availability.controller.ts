import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { asCachedJson, L1Servable, TieredCache } from '@app/cache';
import { AccessScope, AvailabilityService, ProductRef } from '@app/data';
import { InvalidInputError, NotFoundError } from '@app/platform';
import { ApiErrors, ChannelScoped, PublicApi } from '../api/api-surface.decorators';
import { CallerScope } from '../api/authenticated-request';
import { channelAvailabilityKeyOf, channelAvailabilityRead } from '../api/cached-reads';
import { PageQueryDto } from '../api/common.dto';
import { AvailabilityChangePageDto, AvailabilitySnapshotDto, ChannelAvailabilityDto, ChannelAvailabilityQueryDto } from './channel-availability.dto';

function productRefOf(query: ChannelAvailabilityQueryDto): ProductRef {
  if ((query.productId === undefined) === (query.sku === undefined)) {
    throw new InvalidInputError('give exactly one of productId and sku', [{ field: 'productId', message: 'exactly one of productId and sku' }]);
  }
  return query.productId === undefined ? { sku: query.sku! } : { productId: query.productId };
}

/**
 * What each sales channel may sell (online ATP), its change feed and its nightly snapshot. A key
 * restricted to channels reaches only those: another channel is not found.
 */
@ApiTags('channels')
@PublicApi()
@Controller('api/v1/channels/:code/availability')
export class ChannelAvailabilityController {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly cache: TieredCache,
  ) {}

  @Get()
  @ChannelScoped()
  @L1Servable(channelAvailabilityKeyOf)
  @ApiOperation({
    summary: "A product's availability on the channel",
    description:
      'Served from the two-tier cache (`X-Cache`, `X-Cache-Tier`), dropped on every instance by the writes that change it, before their response.',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ type: ChannelAvailabilityDto, description: 'The availability' })
  @ApiErrors(400, 404)
  async get(
    @Param('code') code: string,
    @Query() query: ChannelAvailabilityQueryDto,
    @CallerScope() scope: AccessScope,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const ref = productRefOf(query);
    // Checked before the cache, which holds one entry per channel and product for every caller.
    if (scope.channels !== null && !scope.channels.includes(code)) throw new NotFoundError(`channel ${code} not found`);
    const productId = await this.availability.productIdOf(ref);
    const read = channelAvailabilityRead(code, productId);
    const local = this.cache.peekLocal(read.key);
    if (local !== undefined) return asCachedJson(reply, local, 'l1');
    const result = await this.cache.readThrough({ ...read, load: () => this.availability.ofProduct(code, productId, scope) });
    return asCachedJson(reply, result.body, result.from);
  }

  @Get('changes')
  @ApiOperation({
    summary: "The channel's availability changes after the cursor, in commit order",
    description:
      'Every change once, in the order committed; from the start without a cursor. `nextCursor` is never null: keep it and ask again ' +
      '(at once while pages come back full, after a pause once they come back short or empty).',
  })
  @ApiOkResponse({ type: AvailabilityChangePageDto, description: 'A page of changes' })
  @ApiErrors(400, 404)
  changes(@Param('code') code: string, @Query() query: PageQueryDto, @CallerScope() scope: AccessScope): Promise<AvailabilityChangePageDto> {
    return this.availability.changes(code, query, scope);
  }

  @Get('snapshot')
  @ApiOperation({
    summary: "The channel's latest nightly snapshot of every product's availability",
    description:
      'For reconciliation: replace what you hold with its items, then read the change feed from its `feedCursor`. 404 before the first snapshot.',
  })
  @ApiOkResponse({ type: AvailabilitySnapshotDto, description: 'A page of the snapshot' })
  @ApiErrors(400, 404)
  snapshot(@Param('code') code: string, @Query() query: PageQueryDto, @CallerScope() scope: AccessScope): Promise<AvailabilitySnapshotDto> {
    return this.availability.snapshot(code, query, scope);
  }
}
