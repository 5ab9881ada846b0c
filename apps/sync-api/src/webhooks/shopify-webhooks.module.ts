import { Module } from '@nestjs/common';
import { CacheModule } from '@app/cache';
import { DataModule } from '@app/data';
import { ClientAddressRateLimitGuard } from '../reports/client-address-rate-limit.guard';
import { ShopifyWebhookMetrics } from './shopify-webhook.metrics';
import { ShopifyWebhooksController } from './shopify-webhooks.controller';

/** Webhooks that channels send to the public port, verified by their signatures instead of API keys. */
@Module({
  imports: [DataModule, CacheModule],
  controllers: [ShopifyWebhooksController],
  providers: [ShopifyWebhookMetrics, ClientAddressRateLimitGuard],
})
export class ShopifyWebhooksModule {}
