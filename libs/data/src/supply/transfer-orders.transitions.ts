import { ConflictError } from '@app/platform';
import type { TransferOrderStatus } from './supply-statuses';

/** Where a transfer order may go from each status: it ships or is cancelled while CREATED, and is received once SHIPPED. */
export const TRANSFER_ORDER_TRANSITIONS: Record<TransferOrderStatus, readonly TransferOrderStatus[]> = {
  CREATED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['RECEIVED'],
  RECEIVED: [],
  CANCELLED: [],
};

/** Refuses (409, naming the status) a change the transitions table does not allow. */
export function assertTransferTransition(id: string, from: TransferOrderStatus, to: TransferOrderStatus): void {
  if (TRANSFER_ORDER_TRANSITIONS[from].includes(to)) return;
  const allowedFrom = (Object.keys(TRANSFER_ORDER_TRANSITIONS) as TransferOrderStatus[]).filter((status) =>
    TRANSFER_ORDER_TRANSITIONS[status].includes(to),
  );
  throw new ConflictError(`transfer order ${id} is ${from}: only a ${allowedFrom.join(' or ')} transfer order can become ${to}`);
}
