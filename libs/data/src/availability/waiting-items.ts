import { UNALLOCATED_ITEM_STATUSES } from '../lifecycle/order-transitions';

/**
 * Items whose units are sold but reserved nowhere yet: waiting in a queue (new ones in BROKERING,
 * backorders, rejected, parked by routing), also those of held orders. Channel availability
 * subtracts them, backorders included: stock that arrives goes to them first (receipts re-broker
 * the backorders of the product), so a channel that sold it again would oversell.
 */
export const WAITING_ITEM_STATUSES = UNALLOCATED_ITEM_STATUSES;
