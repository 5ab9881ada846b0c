/** The events a webhook may subscribe to: each is the outbox topic of the same name. */
export const WEBHOOK_EVENTS = [
  'order.created',
  'order.brokered',
  'order.shipped',
  'order.cancelled',
  'order.ready_for_pickup',
  /** A pre-order's promise date changed (a purchase order created, moved, received or closed). */
  'order.promise_changed',
  'availability.changed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The events whose deliveries carry the order (the outbox event's aggregate), and are sent in order per order. */
export const ORDER_WEBHOOK_EVENTS: readonly WebhookEvent[] = WEBHOOK_EVENTS.filter((event) => event.startsWith('order.'));

/** DROPPED: still pending when its endpoint was deleted. */
export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'DROPPED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
