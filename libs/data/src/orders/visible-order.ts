import { NotFoundError } from '@app/platform';
import { AccessScope, reachesChannel, reachesFacility } from '../api-keys/api-key-access';
import type { OrderStatus } from '../lifecycle/statuses';
import type { Queryable } from '../read-routing/queryable';
import type { OrdersRepository } from './orders.repository';

/** Locks the order for a change by a caller whose scope reaches its channel; an order outside it is not found, as if it did not exist. */
export async function lockVisibleOrder(
  orders: OrdersRepository,
  tx: Queryable,
  id: string,
  scope: AccessScope,
): Promise<{ status: OrderStatus; salesChannel: string }> {
  const order = await orders.lockStatus(tx, id);
  if (!order || !reachesChannel(scope, order.salesChannel)) throw new NotFoundError(`order ${id} not found`);
  return order;
}

/** Fails as not found when the facility does not exist or `scope` does not reach it, as if it did not exist. */
export async function assertVisibleFacility(orders: OrdersRepository, tx: Queryable, facilityId: string, scope: AccessScope): Promise<void> {
  if (!reachesFacility(scope, facilityId) || !(await orders.facilityExists(tx, facilityId)))
    throw new NotFoundError(`facility ${facilityId} not found`);
}
