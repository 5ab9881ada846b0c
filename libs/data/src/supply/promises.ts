/** A backordered item, in promise order (its order's creation, then its line). */
export interface WaitingLine {
  itemId: string;
  orderId: string;
  productId: string;
  quantity: number;
  promise: ItemPromise | null;
}

/** What an item is promised: the purchase order whose open quantity it counts on, and that order's expected date. */
export interface ItemPromise {
  purchaseOrderId: string;
  promiseDate: string;
}

/** The open quantity of a purchase order's line of one product. */
export interface IncomingLine {
  purchaseOrderId: string;
  productId: string;
  expectedDate: string;
  /** Ordered and not received yet. */
  openQuantity: number;
}

export interface PromiseChange {
  itemId: string;
  orderId: string;
  productId: string;
  from: ItemPromise | null;
  to: ItemPromise | null;
}

/**
 * Promises, first come, first promised, product by product. Waiting lines, oldest first, take
 * brokerable stock first (brokering allocates them from it soon: no promise), then the open
 * quantity of the purchase orders by earliest expected date (then as given, which is creation
 * order): a line is promised against the first purchase order with enough unpromised quantity for
 * all its units. A line that neither covers takes nothing, so a smaller line behind it may still
 * be promised. `incoming` must be sorted by expected date; the result is what changes.
 */
export function assignPromises(waiting: WaitingLine[], brokerable: Map<string, number>, incoming: IncomingLine[]): PromiseChange[] {
  const stock = new Map(brokerable);
  const unpromised = incoming.map((line) => ({ ...line }));
  const changes: PromiseChange[] = [];
  for (const line of waiting) {
    const free = stock.get(line.productId) ?? 0;
    let promise: ItemPromise | null = null;
    if (free >= line.quantity) {
      stock.set(line.productId, free - line.quantity);
    } else {
      const source = unpromised.find((candidate) => candidate.productId === line.productId && candidate.openQuantity >= line.quantity);
      if (source) {
        source.openQuantity -= line.quantity;
        promise = { purchaseOrderId: source.purchaseOrderId, promiseDate: source.expectedDate };
      }
    }
    if (!samePromise(line.promise, promise)) {
      changes.push({ itemId: line.itemId, orderId: line.orderId, productId: line.productId, from: line.promise, to: promise });
    }
  }
  return changes;
}

function samePromise(a: ItemPromise | null, b: ItemPromise | null): boolean {
  return a?.purchaseOrderId === b?.purchaseOrderId && a?.promiseDate === b?.promiseDate;
}
