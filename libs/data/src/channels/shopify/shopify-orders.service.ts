import { Injectable } from '@nestjs/common';
import { ConflictError, InvalidInputError, NotFoundError } from '@app/platform';
import { PrimaryDatabase } from '../../database/primary-database';
import type { ImportTopic } from '../../entities/channel-import-error.entity';
import type { OrderView } from '../../orders/order.view';
import { CreateOrderInput, OrdersService } from '../../orders/orders.service';
import { ChannelImportErrorsRepository, ImportErrorView } from '../channel-import-errors.repository';
import { ChannelsRepository } from '../channels.repository';
import { parseShopifyBody, shopifyOrderId, ShopifyImportRefusal, toOrderInput } from './shopify-order';
import { shopifySignatureMatches } from './shopify-signature';

export interface ShopifyWebhook {
  channelCode: string;
  topic: ImportTopic;
  /** The body's bytes as received: the signature is over them. */
  rawBody: Buffer;
  /** X-Shopify-Hmac-Sha256. */
  signature: string | undefined;
}

/** What a webhook did; every outcome but `unauthorized` is answered 200, so that Shopify does not retry it. */
export type ShopifyWebhookOutcome =
  | { result: 'unauthorized'; knownChannel: boolean }
  | { result: 'created' | 'duplicate' | 'cancelled'; order: OrderView }
  | { result: 'import_error'; externalId: string | null; error: string };

/**
 * Shopify's order webhooks: verified with the channel's secret, then taken through the same paths
 * as API orders (OrdersService.create and cancel: approval, history, outbox, brokering), the order
 * keyed by Shopify's id in the channel, so that a redelivery is the same order. What cannot be
 * taken is kept as an import error.
 */
@Injectable()
export class ShopifyOrdersService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly channels: ChannelsRepository,
    private readonly importErrors: ChannelImportErrorsRepository,
    private readonly orders: OrdersService,
  ) {}

  async receive(webhook: ShopifyWebhook): Promise<ShopifyWebhookOutcome> {
    const secret = await this.channels.shopifySecret(this.db, webhook.channelCode);
    if (secret === undefined) return { result: 'unauthorized', knownChannel: false };
    if (!shopifySignatureMatches(webhook.rawBody, webhook.signature, secret)) return { result: 'unauthorized', knownChannel: true };
    let externalId: string | null = null;
    try {
      const order = parseShopifyBody(webhook.rawBody);
      externalId = shopifyOrderId(order) ?? null;
      if (externalId === null) throw new ShopifyImportRefusal('the order has no id');
      return webhook.topic === 'orders/create'
        ? await this.create(webhook.channelCode, toOrderInput(order, externalId))
        : await this.cancel(webhook.channelCode, externalId, order.cancel_reason);
    } catch (error) {
      const reason = refusalReason(error);
      if (reason === undefined) throw error;
      await this.importErrors.record(this.db, { salesChannel: webhook.channelCode, topic: webhook.topic, externalId, error: reason });
      return { result: 'import_error', externalId, error: reason };
    }
  }

  /** The channel's import errors, newest first; a NotFoundError for an unknown channel. */
  async importErrorsOf(channelCode: string, limit: number): Promise<ImportErrorView[]> {
    if ((await this.channels.find(this.db, channelCode)) === undefined) throw new NotFoundError(`channel ${channelCode} not found`);
    return this.importErrors.newest(this.db, channelCode, limit);
  }

  private async create(channelCode: string, input: CreateOrderInput): Promise<ShopifyWebhookOutcome> {
    try {
      const { order, created } = await this.orders.create(input, { apiKeyId: null, salesChannel: channelCode });
      return { result: created ? 'created' : 'duplicate', order };
    } catch (error) {
      if (error instanceof InvalidInputError) throw new ShopifyImportRefusal(orderRefusal(error, input));
      throw error;
    }
  }

  private async cancel(channelCode: string, externalId: string, cancelReason: unknown): Promise<ShopifyWebhookOutcome> {
    const orderId = await this.orders.idByExternalId(channelCode, externalId);
    if (orderId === undefined) throw new ShopifyImportRefusal(`no order ${externalId} in channel ${channelCode} to cancel`);
    const why = typeof cancelReason === 'string' && /^[a-z_]{1,32}$/.test(cancelReason) ? ` (${cancelReason})` : '';
    try {
      return { result: 'cancelled', order: await this.orders.cancel(orderId, `shopify:${channelCode}`, `cancelled in Shopify${why}`) };
    } catch (error) {
      if (error instanceof ConflictError) throw new ShopifyImportRefusal(`cannot cancel: ${error.message}`);
      throw error;
    }
  }
}

function refusalReason(error: unknown): string | undefined {
  return error instanceof ShopifyImportRefusal ? error.message : undefined;
}

/** The order service's 400 in the channel's terms: an unknown product is named by its SKU, once. */
function orderRefusal(error: InvalidInputError, input: CreateOrderInput): string {
  const problems = (error.details ?? []).map(({ field, message }) => {
    const line = /^items\[(\d+)\]\.sku$/.exec(field);
    return line !== null && message === 'unknown product' ? `unknown SKU ${input.items[Number(line[1])].sku}` : `${field}: ${message}`;
  });
  return problems.length === 0 ? error.message : [...new Set(problems)].join('; ');
}
