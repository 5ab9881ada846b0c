import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@app/platform';
import { PrimaryDatabase } from '../database/primary-database';
import type { Page, PageRequest } from '../read-routing/keyset-page';
import { NewWebhookEndpoint, WebhookAttemptView, WebhookEndpointView, WebhooksRepository } from './webhooks.repository';

/** The endpoints partners register for outbound webhooks, and their delivery logs; secrets go in and never come out. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly webhooks: WebhooksRepository,
  ) {}

  register(endpoint: NewWebhookEndpoint): Promise<WebhookEndpointView> {
    return this.webhooks.insertEndpoint(this.db, endpoint);
  }

  list(page: PageRequest): Promise<Page<WebhookEndpointView>> {
    return this.webhooks.listEndpoints(this.db, page);
  }

  /** Nothing more is sent to it: its pending deliveries are dropped (an attempt under way still finishes). */
  async remove(id: string): Promise<void> {
    if (!(await this.webhooks.deleteEndpoint(this.db, id))) throw notFound(id);
  }

  /** The endpoint's last `limit` attempts, newest first. */
  async deliveries(id: string, limit: number): Promise<WebhookAttemptView[]> {
    if (!(await this.webhooks.endpointExists(this.db, id))) throw notFound(id);
    return this.webhooks.attempts(this.db, id, limit);
  }
}

const notFound = (id: string) => new NotFoundError(`webhook ${id} not found`);
