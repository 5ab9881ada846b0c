/**
 * Inbound supply written straight into the primary, for the ETL's tests: purchase orders, their
 * receipts, waiting items and their promises, as the supply services leave them, but at chosen
 * past times (receipts of last March, orders placed weeks ago), which the services cannot
 * backdate. The warehouse reads nothing else of theirs; inventory and its ledger are left alone.
 * End-to-end tests go through the API instead (test/e2e/reports-dashboard.e2e-spec.ts).
 */

type Rows = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** An OPEN purchase order of `lines` due at `facilityId` on `expectedDate` (YYYY-MM-DD); returns its id. */
export async function insertPurchaseOrder(
  query: Rows,
  facilityId: string,
  expectedDate: string,
  lines: [productId: string, quantity: number][],
): Promise<string> {
  const [{ id }] = await query(
    `WITH po AS (INSERT INTO purchase_order (facility_id, expected_date, created_by) VALUES ($1, $2, 'test') RETURNING id),
          lines AS (INSERT INTO purchase_order_item (purchase_order_id, line_number, product_id, quantity)
                    SELECT po.id, n, l.product_id, l.quantity FROM po, unnest($3::uuid[], $4::int[]) WITH ORDINALITY AS l(product_id, quantity, n))
     SELECT id FROM po`,
    [facilityId, expectedDate, lines.map(([productId]) => productId), lines.map(([, quantity]) => quantity)],
  );
  return id as string;
}

/** A receipt of `lines` against the purchase order, at its facility, received at `receivedAt` (now by default); returns its id. */
export async function insertReceipt(
  query: Rows,
  purchaseOrderId: string,
  lines: [productId: string, quantity: number][],
  receivedAt?: string,
): Promise<string> {
  const [{ id }] = await query(
    `WITH receipt AS (INSERT INTO purchase_order_receipt (purchase_order_id, facility_id, actor, received_at)
                      SELECT id, facility_id, 'test', COALESCE($2::timestamptz, now()) FROM purchase_order WHERE id = $1 RETURNING id),
          items AS (INSERT INTO purchase_order_receipt_item (receipt_id, product_id, quantity)
                    SELECT receipt.id, l.product_id, l.quantity FROM receipt, unnest($3::uuid[], $4::int[]) AS l(product_id, quantity)),
          received AS (UPDATE purchase_order_item pi SET received_quantity = pi.received_quantity + l.quantity
                         FROM unnest($3::uuid[], $4::int[]) AS l(product_id, quantity)
                        WHERE pi.purchase_order_id = $1 AND pi.product_id = l.product_id)
     SELECT id FROM receipt`,
    [purchaseOrderId, receivedAt ?? null, lines.map(([productId]) => productId), lines.map(([, quantity]) => quantity)],
  );
  return id as string;
}

/** Promises a BACKORDERED item against the purchase order (dated by its expected date), with the PROMISED history entry. */
export async function promiseItem(query: Rows, itemId: string, purchaseOrderId: string): Promise<void> {
  await query(
    `WITH promised AS (UPDATE order_item i SET promise_date = po.expected_date, promised_purchase_order_id = po.id
                         FROM purchase_order po WHERE i.id = $1 AND po.id = $2 RETURNING i.order_id, i.id)
     INSERT INTO order_history (order_id, item_id, type, purchase_order_id) SELECT order_id, id, 'PROMISED', $2 FROM promised`,
    [itemId, purchaseOrderId],
  );
}

/**
 * A BACKORDERED line of `quantity` of the product, in an order of its own placed `placedDaysAgo`
 * days ago (no history but its promise's: it is no approval or allocation of any day).
 */
export async function insertWaitingItem(
  query: Rows,
  productId: string,
  quantity: number,
  placedDaysAgo: number,
): Promise<{ id: string; createdAt: Date }> {
  const [{ id, created_at }] = await query(
    `WITH o AS (INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel, created_at)
                VALUES ('BACKORDERED', 'pre@example.com', '{}', 0, 'storefront', now() - $3::interval) RETURNING id, created_at)
     INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
     SELECT o.id, 1, p.id, p.sku, $2, p.price, 'BACKORDERED', 'BACKORDER' FROM o, product p WHERE p.id = $1
     RETURNING id, (SELECT created_at FROM o)`,
    [productId, quantity, `${placedDaysAgo} days`],
  );
  return { id: id as string, createdAt: created_at as Date };
}
