import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { NotificationListener } from '../outbox/outbox-listener';

/** Wakes the webhook dispatchers when deliveries were created (a trigger notifies on commit). */
@Injectable()
export class WebhookDeliveryListener extends NotificationListener {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config, 'webhook_delivery');
  }
}
