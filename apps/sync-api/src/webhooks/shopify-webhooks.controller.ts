import { Controller, HttpCode, Param, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ImportTopic, ShopifyOrdersService } from '@app/data';
import { RAW_JSON_BODY, type RawBodyRequest } from '@app/platform';
import { ApiErrors } from '../api/api-surface.decorators';
import { CHANNEL_CODE } from '../internal/channels/channel.dto';
import { ClientAddressRateLimitGuard } from '../reports/client-address-rate-limit.guard';
import { ShopifyWebhookMetrics } from './shopify-webhook.metrics';
import { ShopifyWebhookResultDto } from './shopify-webhook.dto';

const SIGNATURE_HEADER = 'x-shopify-hmac-sha256';
const SHOPIFY_ORDER_BODY = { description: "Shopify's order JSON (REST Admin API shape), as Shopify sends it", schema: { type: 'object' } } as const;

/**
 * Shopify's order webhooks, one URL per channel and topic. No API key: the body's HMAC with the
 * channel's secret is the credential, checked over the raw bytes before anything is parsed.
 */
@ApiTags('webhooks')
// An explicit empty requirement: Shopify signs the body instead of sending credentials.
@ApiSecurity({})
@ApiParam({ name: 'channelCode', description: 'The code of a SHOPIFY sales channel', example: 'SHOPIFY_US' })
@ApiHeader({ name: SIGNATURE_HEADER, required: true, description: "Base64 HMAC-SHA256 of the raw body with the channel's webhookSecret" })
@ApiOkResponse({ type: ShopifyWebhookResultDto, description: 'Taken, found again (a redelivery), cancelled, or kept as an import error' })
@ApiErrors(401, 413, 429, 503)
@UseGuards(ClientAddressRateLimitGuard)
@Controller('webhooks/shopify/:channelCode')
export class ShopifyWebhooksController {
  constructor(
    private readonly shopify: ShopifyOrdersService,
    private readonly metrics: ShopifyWebhookMetrics,
  ) {}

  @Post('orders-create')
  @HttpCode(200)
  @RouteConfig(RAW_JSON_BODY)
  @ApiBody(SHOPIFY_ORDER_BODY)
  @ApiOperation({ summary: 'Shopify orders/create: the order, once however often it is delivered' })
  ordersCreate(@Param('channelCode') channelCode: string, @Req() request: FastifyRequest): Promise<ShopifyWebhookResultDto> {
    return this.receive(channelCode, 'orders/create', request);
  }

  @Post('orders-cancelled')
  @HttpCode(200)
  @RouteConfig(RAW_JSON_BODY)
  @ApiBody(SHOPIFY_ORDER_BODY)
  @ApiOperation({ summary: 'Shopify orders/cancelled: cancels the order of that Shopify id, or keeps an import error saying why not' })
  ordersCancelled(@Param('channelCode') channelCode: string, @Req() request: FastifyRequest): Promise<ShopifyWebhookResultDto> {
    return this.receive(channelCode, 'orders/cancelled', request);
  }

  private async receive(channelCode: string, topic: ImportTopic, request: FastifyRequest): Promise<ShopifyWebhookResultDto> {
    const rawBody = (request as RawBodyRequest).rawBody ?? Buffer.alloc(0);
    const header = request.headers[SIGNATURE_HEADER];
    const signature = typeof header === 'string' ? header : undefined;
    const outcome = CHANNEL_CODE.test(channelCode)
      ? await this.shopify.receive({ channelCode, topic, rawBody, signature })
      : ({ result: 'unauthorized', knownChannel: false } as const);
    this.metrics.count(channelCode, topic, outcome);
    if (outcome.result === 'unauthorized') throw new UnauthorizedException('Missing or invalid X-Shopify-Hmac-Sha256 for this channel');
    return outcome;
  }
}
