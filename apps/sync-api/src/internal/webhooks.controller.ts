import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WebhooksService } from '@app/data';
import { AdminTokenGuard } from '@app/platform';
import { PageQueryDto } from '../api/common.dto';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../api/api-surface.decorators';
import { WebhookAttemptListDto, WebhookDto, WebhookPageDto } from './webhook-response.dto';
import { CreateWebhookDto, WebhookDeliveriesQueryDto } from './webhook.dto';

@ApiTags('webhooks')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@ApiErrors(401, 503)
@Controller('internal/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a webhook endpoint',
    description:
      'The worker POSTs each subscribed event as JSON {"id","type","at","data"}, signed with `X-OMS-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`; ' +
      'a non-2xx answer or none within 10 s is retried after WEBHOOK_RETRY_BASE_MS, doubling up to an hour with jitter, for 24 h. At least once, in order per order.',
  })
  @ApiCreatedResponse({ type: WebhookDto, description: 'The endpoint, without its secret' })
  @ApiErrors(400)
  create(@Body() body: CreateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.register(body);
  }

  @Get()
  @ApiOperation({ summary: 'The registered webhook endpoints, oldest first' })
  @ApiOkResponse({ type: WebhookPageDto })
  @ApiErrors(400)
  list(@Query() query: PageQueryDto): Promise<WebhookPageDto> {
    return this.webhooks.list(query);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The endpoint's delivery log: one entry per attempt, newest first" })
  @ApiOkResponse({ type: WebhookAttemptListDto })
  @ApiErrors(400, 404)
  async deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() query: WebhookDeliveriesQueryDto): Promise<WebhookAttemptListDto> {
    return { items: await this.webhooks.deliveries(id, query.limit) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint', description: 'Nothing more is sent to it; its pending deliveries are dropped.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.webhooks.remove(id);
  }
}
