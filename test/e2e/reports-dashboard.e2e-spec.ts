import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ADDRESS, ApiFixture, expectErrorBody, expectValidationError, Facility, httpRequest, Order, Product, startApi } from '../support/api-fixture';
import { valueWithin } from '../support/http';
import { brokeredOrder, EtlRun, etlRunFinished, internalRequest, replicaCaughtUp } from '../support/warehouse';

/** Debian's chromium package (scripts/services.sh chromium installs it; npm test calls that first). */
const CHROMIUM = '/usr/bin/chromium';
const BROWSER_WAIT_MS = 15_000;
const SCREENSHOT = resolve(__dirname, '../../.run/reports-dashboard.png');
const EMPTY_SCREENSHOT = resolve(__dirname, '../../.run/reports-dashboard-empty.png');
const EMPTY_RANGE = { from: '2001-01-01', to: '2001-01-31' };
const EVERY_SECOND = '* * * * * *';
/** How long before its release the held order was placed, as its history says. */
const HELD_MINUTES = 90;
/** How long before its shipment the shipped order was allocated, as its history says (short: the allocation stays on the day). */
const ALLOCATED_MINUTES = 10;
/** How long ago the pre-order was placed: before the page's range, so it is no sale of it, yet waiting now. */
const PREORDER_DAYS = 40;

interface DrawnChart {
  labels: string[];
  datasets: { label: string; data: number[] }[];
}

interface DailySalesRow {
  date: string;
  units: number;
  revenue: string;
}
interface TopProductRow {
  sku: string;
  name: string;
  units: number;
}
interface FacilityRow {
  code: string;
  itemsAllocated: number;
  itemsShipped: number;
}
interface AllocationRow {
  date: string;
  code: string;
  routingGroupName: string | null;
  ruleName: string | null;
  items: number;
  units: number;
}
interface RejectionRow {
  code: string;
  reason: string;
  items: number;
  units: number;
}
interface HoldRow {
  date: string;
  reason: string;
  orders: number;
}
interface ApprovalTimeRow {
  date: string;
  orders: number;
  avgMinutes: number;
  p50Minutes: number;
  p90Minutes: number;
}
interface AutoCancellationRow {
  date: string;
  items: number;
  units: number;
}
interface ShipmentRow {
  date: string;
  facilityId: string;
  code: string;
  shipments: number;
  orders: number;
  items: number;
  units: number;
}
interface ShipmentTimeRow {
  facilityId: string;
  code: string;
  shipments: number;
  items: number;
  p50Minutes: number;
  p90Minutes: number;
}
interface PickupNotCollectedRow {
  date: string;
  facilityId: string | null;
  code: string | null;
  orders: number;
}
interface ReturnRow {
  date: string;
  reason: string;
  returns: number;
  units: number;
}
interface ReceiptRow {
  date: string;
  facilityId: string;
  code: string;
  receipts: number;
  purchaseOrders: number;
  lines: number;
  units: number;
}
interface LeadTimeRow {
  facilityId: string;
  code: string;
  receipts: number;
  meanLeadDays: number;
  p50LeadDays: number;
  p90LeadDays: number;
  onTimeShare: number;
}
interface PreorderWaitingRow {
  productId: string;
  sku: string;
  name: string;
  lines: number;
  units: number;
  oldestAgeDays: number;
  meanAgeDays: number;
  earliestPromiseDate: string;
  latestPromiseDate: string;
}

const CHARTS = [
  'sales',
  'products',
  'facilities',
  'allocations',
  'rejections',
  'holds',
  'approvals',
  'autoCancellations',
  'shipments',
  'shipmentTimes',
  'pickupsNotCollected',
  'returns',
  'receipts',
  'leadTimes',
  'preordersWaiting',
] as const;
type ChartName = (typeof CHARTS)[number];

/** What each Chart.js instance on the page holds, read through Chart.getChart (runs in the browser). */
function drawnCharts(page: Page): Promise<Record<ChartName, DrawnChart>> {
  return page.evaluate((names) => {
    const window = globalThis as unknown as {
      document: { getElementById(id: string): unknown };
      Chart: { getChart(canvas: unknown): { data: DrawnChart } | undefined };
    };
    const read = (name: string): DrawnChart => {
      const chart = window.Chart.getChart(window.document.getElementById(`${name}-chart`));
      if (chart === undefined) throw new Error(`no chart on #${name}-chart`);
      return {
        labels: [...chart.data.labels],
        datasets: chart.data.datasets.map((dataset) => ({ label: dataset.label, data: [...dataset.data] })),
      };
    };
    return Object.fromEntries(names.map((name) => [name, read(name)])) as Record<ChartName, DrawnChart>;
  }, CHARTS);
}

/** Waits until the page has drawn the reports of this range. */
async function drawn(page: Page, range: { from: string; to: string }): Promise<void> {
  await page.waitForSelector(`#dashboard[data-state="ready"][data-range="${range.from}/${range.to}"]`, { timeout: BROWSER_WAIT_MS });
}

async function screenshot(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true, timeout: BROWSER_WAIT_MS });
  process.stdout.write(`reports dashboard screenshot: ${path}\n`);
}

/** GET /reports end to end: real sync-api, worker, primary, replica and warehouse, drawn by headless Chromium. */
describe('reports dashboard (GET /reports) in headless Chromium', () => {
  let f: ApiFixture;
  let browser: Browser | undefined;

  beforeAll(async () => {
    f = await startApi('dashboard');
    // Auto-cancels every second: loadWarehouse parks an item to be cancelled.
    await f.startWorker({ AUTO_CANCEL_CRON: EVERY_SECOND });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await f?.stop();
  });

  /**
   * Two products sold, one order shipped, one facility; two orders of a third product rejected there
   * (for two reasons) and cancelled, as no other facility has it; a sofa order held by an approval
   * rule and released, another held by customer service; a vase order auto-cancelled; a pickup
   * order cancelled as not collected; the shipped tees returned, one damaged (restocked) and one
   * unwanted (not restocked); a purchase order received twice, and a pre-order of a product
   * nobody stocks, placed PREORDER_DAYS ago and promised against another purchase order; then one
   * ETL run from the replica. Returns the facility, how many minutes the released order waited
   * for approval and how many the shipped one waited from its allocation to its shipment, the lead
   * days of the receipts, the pre-ordered product with its promise date, and the run.
   */
  async function loadWarehouse(): Promise<{
    facility: Facility;
    waitedMinutes: number;
    shippedMinutes: number;
    leadDays: number;
    preorder: { product: Product; promiseDate: string };
    run: EtlRun;
  }> {
    const tee = await f.createProduct({ name: 'Tee', price: '12.50' });
    const mug = await f.createProduct({ name: 'Mug', price: '4.00' });
    const facility = await f.createFacility({ latitude: ADDRESS.latitude, longitude: ADDRESS.longitude, canPickup: true });
    await f.setStock(facility.id, tee.id, 100);
    await f.setStock(facility.id, mug.id, 100);
    const shipped = await brokeredOrder(f, tee.id, 2);
    // Allocated ALLOCATED_MINUTES before its shipment, as far as its history tells.
    await f.sql(`UPDATE order_history SET at = at - $2::interval WHERE order_id = $1 AND type = 'ALLOCATED'`, [
      shipped.id,
      `${ALLOCATED_MINUTES} minutes`,
    ]);
    expect((await f.api('POST', `/orders/${shipped.id}/fulfillments`, { facilityId: facility.id })).status).toBe(201);
    const [{ shippedMinutes }] = await f.sql<{ shippedMinutes: number }>(
      `SELECT extract(epoch FROM s.at - a.at)::float8 / 60 AS "shippedMinutes"
         FROM order_history s JOIN order_history a ON a.item_id = s.item_id AND a.type = 'ALLOCATED'
        WHERE s.order_id = $1 AND s.type = 'SHIPPED'`,
      [shipped.id],
    );
    for (const [reason, restock] of [
      ['DAMAGED', true],
      ['CHANGED_MIND', false],
    ] as const) {
      const requested = await f.api<{ id: string }>('POST', `/orders/${shipped.id}/returns`, {
        facilityId: facility.id,
        items: [{ itemId: shipped.items[0].id, quantity: 1, reason }],
      });
      expect(requested.status).toBe(201);
      expect((await f.api('POST', `/returns/${requested.body.id}/receive`, { restock })).status).toBe(200);
    }
    await brokeredOrder(f, mug.id, 4);
    await brokeredOrder(f, tee.id, 1);
    const lamp = await f.createProduct({ name: 'Lamp', price: '30.00' });
    await f.setStock(facility.id, lamp.id, 100);
    for (const reason of ['DAMAGED', 'NOT_IN_STOCK']) {
      const order = await brokeredOrder(f, lamp.id, 1);
      expect((await f.api('POST', `/orders/${order.id}/items/${order.items[0].id}/reject`, { reason })).status).toBe(200);
      expect((await f.api('POST', `/orders/${order.id}/cancel`, {})).status).toBe(200);
    }

    const sofa = await f.createProduct({ name: 'Sofa', price: '500.00' });
    await f.setStock(facility.id, sofa.id, 100);
    const rules = (body: unknown) => internalRequest(f, 'PUT', '/internal/approval-rules', body);
    expect((await rules({ rules: [{ name: 'Large orders', when: { orderTotalAtLeast: '500' }, holdReason: 'AWAITING_PAYMENT' }] })).status).toBe(200);
    const large = await f.api<Order>('POST', '/orders', {
      customer: { email: 'w@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: sofa.id, quantity: 1 }],
    });
    expect(large.body.status).toBe('HELD');
    expect((await rules({ rules: [] })).status).toBe(200);
    // Placed HELD_MINUTES before its release, as far as its history tells.
    await f.sql(`UPDATE order_history SET at = at - $2::interval WHERE order_id = $1 AND type = 'CREATED'`, [
      large.body.id,
      `${HELD_MINUTES} minutes`,
    ]);
    expect((await f.api<Order>('POST', `/orders/${large.body.id}/release`, {})).body.status).toBe('BROKERED');
    const held = await brokeredOrder(f, sofa.id, 1);
    expect((await f.api<Order>('POST', `/orders/${held.id}/hold`, { reason: 'CUSTOMER_REQUEST' })).body.status).toBe('HELD');
    const [{ waited }] = await f.sql<{ waited: number }>(
      `SELECT extract(epoch FROM r.at - c.at)::float8 / 60 AS waited FROM order_history r JOIN order_history c ON c.order_id = r.order_id AND c.type = 'CREATED'
        WHERE r.order_id = $1 AND r.type = 'RELEASED'`,
      [large.body.id],
    );

    // No stock of the vase anywhere: the worker leaves it waiting; parked with a passed auto-cancel time, the worker cancels it.
    const vase = await f.createProduct({ name: 'Vase', price: '8.00' });
    const waiting = await f.api<Order>('POST', '/orders', {
      customer: { email: 'w@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: vase.id, quantity: 3 }],
    });
    const itemStatus = async () => (await f.api<Order>('GET', `/orders/${waiting.body.id}`)).body.items[0].status;
    await valueWithin(async () => ((await itemStatus()) === 'BACKORDERED' ? true : undefined), 'the vase to wait for stock', 20_000);
    await f.sql(`UPDATE order_item SET queue = 'UNFILLABLE', auto_cancel_at = now() - interval '1 hour' WHERE order_id = $1`, [waiting.body.id]);
    await valueWithin(async () => ((await itemStatus()) === 'CANCELLED' ? true : undefined), 'the vase to be auto-cancelled', 20_000);

    // A pickup at the facility, cancelled; its history then says `not collected`, as the pickup expiry writes it.
    const plant = await f.createProduct({ name: 'Plant', price: '6.00' });
    const pickup = await f.api<Order>('POST', '/orders', {
      customer: { email: 'w@example.com' },
      shippingAddress: ADDRESS,
      shippingMethod: 'PICKUP',
      pickupFacilityId: facility.id,
      items: [{ productId: plant.id, quantity: 1 }],
    });
    expect(pickup.status).toBe(201);
    expect((await f.api<Order>('POST', `/orders/${pickup.body.id}/cancel`, {})).body.status).toBe('CANCELLED');
    await f.sql(`UPDATE order_history SET reason = 'not collected' WHERE order_id = $1 AND type = 'CANCELLED'`, [pickup.body.id]);

    // Inbound supply through the API: a purchase order due two days ago, received twice now.
    const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const purchaseOrder = await f.api<{ id: string }>('POST', '/purchase-orders', {
      facilityId: facility.id,
      expectedDate: dayOffset(-2),
      items: [
        { productId: tee.id, quantity: 10 },
        { productId: mug.id, quantity: 10 },
      ],
    });
    expect(purchaseOrder.status).toBe(201);
    const receive = async (items: { productId: string; quantity: number }[]) =>
      expect((await f.api('POST', `/purchase-orders/${purchaseOrder.body.id}/receipts`, { items })).status).toBe(201);
    await receive([
      { productId: tee.id, quantity: 4 },
      { productId: mug.id, quantity: 6 },
    ]);
    await receive([{ productId: tee.id, quantity: 1 }]);
    const [{ leadDays }] = await f.sql<{ leadDays: number }>(
      `SELECT (r.received_at AT TIME ZONE 'UTC')::date - po.expected_date AS "leadDays"
         FROM purchase_order_receipt r JOIN purchase_order po ON po.id = r.purchase_order_id WHERE po.id = $1 LIMIT 1`,
      [purchaseOrder.body.id],
    );
    // A pre-order: an order of a product nobody stocks waits, then a purchase order promises it; it was placed PREORDER_DAYS ago.
    const preordered = await f.createProduct({ name: 'Kettle', price: '20.00' });
    const preorder = await f.api<Order>('POST', '/orders', {
      customer: { email: 'pre@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: preordered.id, quantity: 2 }],
    });
    const preorderStatus = async () => (await f.api<Order>('GET', `/orders/${preorder.body.id}`)).body.items[0].status;
    await valueWithin(async () => ((await preorderStatus()) === 'BACKORDERED' ? true : undefined), 'the kettle to wait for stock', 20_000);
    const promiseDate = dayOffset(10);
    expect(
      (
        await f.api('POST', '/purchase-orders', {
          facilityId: facility.id,
          expectedDate: promiseDate,
          items: [{ productId: preordered.id, quantity: 5 }],
        })
      ).status,
    ).toBe(201);
    // Placed (and approved, at once) PREORDER_DAYS ago: outside the page's range, so it counts only among the pre-orders.
    await f.sql(`UPDATE sales_order SET created_at = created_at - make_interval(days => $2) WHERE id = $1`, [preorder.body.id, PREORDER_DAYS]);
    await f.sql(`UPDATE order_history SET at = at - make_interval(days => $2) WHERE order_id = $1 AND type IN ('CREATED', 'APPROVED')`, [
      preorder.body.id,
      PREORDER_DAYS,
    ]);

    await replicaCaughtUp(f);
    const run = await internalRequest<EtlRun>(f, 'POST', '/internal/warehouse/etl-runs', {});
    expect(run.status).toBe(202);
    const finished = await etlRunFinished(f, run.body.id);
    expect(finished).toEqual(expect.objectContaining({ status: 'succeeded', source: 'replica' }));
    return { facility, waitedMinutes: waited, shippedMinutes, leadDays, preorder: { product: preordered, promiseDate }, run: finished };
  }

  it('serves the page with a strict CSP and no inline script, its assets from the app, and the data without an API key', async () => {
    const page = await httpRequest<string>(`${f.url}/reports`, 'GET');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const scripts = [...page.body.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((tag) => /\ssrc="\/reports\/assets\/[^"]+"/.test(tag))).toBe(true);
    expect(page.body).not.toMatch(/\son[a-z]+=/i);

    const chart = await fetch(`${f.url}/reports/assets/chart.umd.js`, { signal: AbortSignal.timeout(10_000) });
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toContain('javascript');
    expect(await chart.text()).toContain('Chart.js v4');
    expectErrorBody(await httpRequest(`${f.url}/reports/assets/..%2Fdashboard-assets.js`, 'GET'), 404);
    expectErrorBody(await httpRequest(`${f.internalUrl}/reports`, 'GET'), 404);

    // The data routes: documented, no credentials, same validation as the API's reports.
    const sales = await f.request('GET', '/reports/data/sales/daily?from=2026-03-01&to=2026-03-31');
    expect(sales.status).toBe(200);
    expect(sales.body).toEqual({ rows: [] });
    expectValidationError(await f.request('GET', '/reports/data/facilities?from=2026-03-02&to=2026-03-01'), 'from');
    expectValidationError(await f.request('GET', '/reports/data/products/top?from=2026-03-01&to=2026-03-02&limit=101'), 'limit');
    for (const report of [
      'allocations',
      'rejections',
      'holds',
      'approval-times',
      'auto-cancellations',
      'shipments',
      'shipment-times',
      'pickups-not-collected',
      'returns',
      'receipts',
      'purchase-order-lead-time',
    ]) {
      const data = await f.request('GET', `/reports/data/${report}?from=2026-03-01&to=2026-03-31`);
      expect(data.status).toBe(200);
      expect(data.body).toEqual({ rows: [] });
      expectValidationError(await f.request('GET', `/reports/data/${report}?from=2026-03-01`), 'to');
    }
    // Not by range: the pre-orders waiting as of the last ETL run (none yet).
    const preorders = await f.request('GET', '/reports/data/preorders-waiting');
    expect(preorders.status).toBe(200);
    expect(preorders.body).toEqual({ asOf: null, rows: [] });
    expectValidationError(await f.request('GET', '/reports/data/preorders-waiting?limit=0'), 'limit');
  });

  it('draws the fifteen reports of the last 30 days (the pre-orders as of the last run), draws nothing for a range without data, and logs no error', async () => {
    const { facility, waitedMinutes, shippedMinutes, leadDays, preorder, run } = await loadWarehouse();
    const problems: string[] = [];
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(BROWSER_WAIT_MS);
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });

    try {
      const response = await page.goto(`${f.url}/reports`, { waitUntil: 'load', timeout: BROWSER_WAIT_MS });
      expect(response?.status()).toBe(200);
      const range = { from: await page.inputValue('#from'), to: await page.inputValue('#to') };
      const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
      expect(days).toBe(30);
      await drawn(page, range);

      // The page draws exactly what the API reports for its range.
      const query = `from=${range.from}&to=${range.to}`;
      const sales = (await f.api<{ rows: DailySalesRow[] }>('GET', `/reports/sales/daily?${query}`)).body.rows;
      const products = (await f.api<{ rows: TopProductRow[] }>('GET', `/reports/products/top?${query}&limit=10`)).body.rows;
      const facilities = (await f.api<{ rows: FacilityRow[] }>('GET', `/reports/facilities?${query}`)).body.rows;
      const allocations = (await f.api<{ rows: AllocationRow[] }>('GET', `/reports/allocations?${query}`)).body.rows;
      const rejections = (await f.api<{ rows: RejectionRow[] }>('GET', `/reports/rejections?${query}`)).body.rows;
      const holds = (await f.api<{ rows: HoldRow[] }>('GET', `/reports/holds?${query}`)).body.rows;
      const approvals = (await f.api<{ rows: ApprovalTimeRow[] }>('GET', `/reports/approval-times?${query}`)).body.rows;
      const autoCancellations = (await f.api<{ rows: AutoCancellationRow[] }>('GET', `/reports/auto-cancellations?${query}`)).body.rows;
      const shipments = (await f.api<{ rows: ShipmentRow[] }>('GET', `/reports/shipments?${query}`)).body.rows;
      const shipmentTimes = (await f.api<{ rows: ShipmentTimeRow[] }>('GET', `/reports/shipment-times?${query}`)).body.rows;
      const notCollected = (await f.api<{ rows: PickupNotCollectedRow[] }>('GET', `/reports/pickups-not-collected?${query}`)).body.rows;
      const returns = (await f.api<{ rows: ReturnRow[] }>('GET', `/reports/returns?${query}`)).body.rows;
      const receipts = (await f.api<{ rows: ReceiptRow[] }>('GET', `/reports/receipts?${query}`)).body.rows;
      const leadTimes = (await f.api<{ rows: LeadTimeRow[] }>('GET', `/reports/purchase-order-lead-time?${query}`)).body.rows;
      const preorders = (await f.api<{ asOf: string | null; rows: PreorderWaitingRow[] }>('GET', '/reports/preorders-waiting?limit=10')).body;
      // The held sofa is a sale (its line waits, not cancelled), but no longer allocated; the vase is no sale.
      expect(sales).toEqual([expect.objectContaining({ units: 9, revenue: '1053.50' })]);
      expect(products.map((row) => row.units)).toEqual([4, 3, 2]);
      expect(facilities).toEqual([expect.objectContaining({ itemsAllocated: 4, itemsShipped: 1 })]);
      // The cancelled lamps are no sales, but were allocated (by the default group's first rule) and rejected; both sofas were allocated.
      expect(allocations).toEqual([
        expect.objectContaining({
          code: facility.code,
          routingGroupName: 'Default',
          ruleName: 'Nearest facility with every item',
          items: 7,
          units: 11,
        }),
      ]);
      expect(rejections).toEqual([
        expect.objectContaining({ code: facility.code, reason: 'DAMAGED', items: 1, units: 1 }),
        expect.objectContaining({ code: facility.code, reason: 'NOT_IN_STOCK', items: 1, units: 1 }),
      ]);
      const day = sales[0].date;
      expect(holds).toEqual([
        { date: day, reason: 'AWAITING_PAYMENT', orders: 1 },
        { date: day, reason: 'CUSTOMER_REQUEST', orders: 1 },
      ]);
      // Nine orders approved today: eight at creation (the pickup too), the large sofa after its wait; the percentiles interpolate.
      expect(waitedMinutes).toBeGreaterThanOrEqual(HELD_MINUTES);
      expect(approvals).toEqual([{ date: day, orders: 9, avgMinutes: expect.any(Number), p50Minutes: 0, p90Minutes: expect.any(Number) }]);
      expect(approvals[0].avgMinutes).toBeCloseTo(waitedMinutes / 9, 1);
      expect(approvals[0].p90Minutes).toBeCloseTo(waitedMinutes * 0.2, 1);
      expect(autoCancellations).toEqual([{ date: day, items: 1, units: 3 }]);
      // One shipment of one tee line (2 units), ALLOCATED_MINUTES and a little after its allocation; one pickup not collected.
      expect(shipments).toEqual([{ date: day, facilityId: facility.id, code: facility.code, shipments: 1, orders: 1, items: 1, units: 2 }]);
      expect(shippedMinutes).toBeGreaterThanOrEqual(ALLOCATED_MINUTES);
      expect(shipmentTimes).toEqual([
        { facilityId: facility.id, code: facility.code, shipments: 1, items: 1, p50Minutes: expect.any(Number), p90Minutes: expect.any(Number) },
      ]);
      expect(shipmentTimes[0].p50Minutes).toBeCloseTo(shippedMinutes, 1);
      expect(shipmentTimes[0].p90Minutes).toBe(shipmentTimes[0].p50Minutes);
      expect(notCollected).toEqual([{ date: day, facilityId: facility.id, code: facility.code, orders: 1 }]);
      expect(returns).toEqual([
        { date: day, reason: 'CHANGED_MIND', returns: 1, units: 1 },
        { date: day, reason: 'DAMAGED', returns: 1, units: 1 },
      ]);
      // Two receipts of one purchase order (three lines, 11 units), both leadDays after its expected date (2 unless midnight passed).
      expect(receipts).toEqual([{ date: day, facilityId: facility.id, code: facility.code, receipts: 2, purchaseOrders: 1, lines: 3, units: 11 }]);
      expect(leadDays).toBeGreaterThanOrEqual(2);
      expect(leadTimes).toEqual([
        {
          facilityId: facility.id,
          code: facility.code,
          receipts: 2,
          meanLeadDays: leadDays,
          p50LeadDays: leadDays,
          p90LeadDays: leadDays,
          onTimeShare: 0,
        },
      ]);
      // The pre-order waits, aged PREORDER_DAYS (and the seconds the test took) at the run's finish.
      expect(preorders).toEqual({
        asOf: run.finishedAt,
        rows: [
          {
            productId: preorder.product.id,
            sku: preorder.product.sku,
            name: 'Kettle',
            lines: 1,
            units: 2,
            oldestAgeDays: expect.any(Number),
            meanAgeDays: expect.any(Number),
            earliestPromiseDate: preorder.promiseDate,
            latestPromiseDate: preorder.promiseDate,
          },
        ],
      });
      expect(preorders.rows[0].oldestAgeDays).toBeCloseTo(PREORDER_DAYS, 1);
      expect(preorders.rows[0].meanAgeDays).toBe(preorders.rows[0].oldestAgeDays);

      const charts = await drawnCharts(page);
      expect(charts.sales).toEqual({
        labels: sales.map((row) => row.date),
        datasets: [
          { label: 'Revenue', data: sales.map((row) => Number(row.revenue)) },
          { label: 'Units', data: sales.map((row) => row.units) },
        ],
      });
      expect(charts.products).toEqual({
        labels: products.map((row) => `${row.name} (${row.sku})`),
        datasets: [{ label: 'Units', data: products.map((row) => row.units) }],
      });
      expect(charts.facilities).toEqual({
        labels: facilities.map((row) => row.code),
        datasets: [
          { label: 'Allocated', data: facilities.map((row) => row.itemsAllocated) },
          { label: 'Shipped', data: facilities.map((row) => row.itemsShipped) },
        ],
      });
      // One bar per day, stacked by facility and rule; one bar per facility, stacked by reason.
      expect(charts.allocations).toEqual({
        labels: allocations.map((row) => row.date),
        datasets: allocations.map((row) => ({ label: `${row.code} · ${row.routingGroupName}: ${row.ruleName}`, data: [row.items] })),
      });
      expect(charts.rejections).toEqual({
        labels: [facility.code],
        datasets: rejections.map((row) => ({ label: row.reason, data: [row.items] })),
      });
      // One bar per day, stacked by reason; the three minutes per day; lines and units per day.
      expect(charts.holds).toEqual({ labels: [day], datasets: holds.map((row) => ({ label: row.reason, data: [row.orders] })) });
      expect(charts.approvals).toEqual({
        labels: [day],
        datasets: [
          { label: 'Average', data: [approvals[0].avgMinutes] },
          { label: 'Median (p50)', data: [0] },
          { label: '90th percentile', data: [approvals[0].p90Minutes] },
        ],
      });
      expect(charts.autoCancellations).toEqual({
        labels: [day],
        datasets: [
          { label: 'Order lines', data: [1] },
          { label: 'Units', data: [3] },
        ],
      });
      // One bar per day stacked by facility; the two percentiles per facility; one bar per day stacked by store.
      expect(charts.shipments).toEqual({ labels: [day], datasets: [{ label: facility.code, data: [1] }] });
      expect(charts.shipmentTimes).toEqual({
        labels: [facility.code],
        datasets: [
          { label: 'Median (p50)', data: [shipmentTimes[0].p50Minutes] },
          { label: '90th percentile', data: [shipmentTimes[0].p90Minutes] },
        ],
      });
      expect(charts.pickupsNotCollected).toEqual({ labels: [day], datasets: [{ label: facility.code, data: [1] }] });
      // One bar per day, stacked by return reason.
      expect(charts.returns).toEqual({ labels: [day], datasets: returns.map((row) => ({ label: row.reason, data: [row.units] })) });
      // Receipts per day stacked by facility; the two lead day percentiles per facility; units and ages per pre-ordered product.
      expect(charts.receipts).toEqual({ labels: [day], datasets: [{ label: facility.code, data: [2] }] });
      expect(charts.leadTimes).toEqual({
        labels: [facility.code],
        datasets: [
          { label: 'Median (p50)', data: [leadDays] },
          { label: '90th percentile', data: [leadDays] },
        ],
      });
      const preordersDrawn = {
        labels: [`Kettle (${preorder.product.sku})`],
        datasets: [
          { label: 'Units waiting', data: [2] },
          { label: 'Oldest (days)', data: [preorders.rows[0].oldestAgeDays] },
          { label: 'Mean age (days)', data: [preorders.rows[0].meanAgeDays] },
        ],
      };
      expect(charts.preordersWaiting).toEqual(preordersDrawn);
      expect(await page.getAttribute('#preordersWaiting-asOf', 'data-as-of')).toBe(preorders.asOf);
      for (const name of CHARTS) expect(await page.isHidden(`#${name}-empty`)).toBe(true);
      await screenshot(page, SCREENSHOT);

      // A range without data: empty charts and a message on each; the pre-orders waiting now are no matter of the range.
      await page.fill('#from', EMPTY_RANGE.from);
      await page.fill('#to', EMPTY_RANGE.to);
      await page.click('button[type="submit"]');
      await drawn(page, EMPTY_RANGE);
      const { preordersWaiting: stillWaiting, ...empty } = await drawnCharts(page);
      for (const chart of Object.values(empty)) {
        expect(chart.labels).toEqual([]);
        for (const dataset of chart.datasets) expect(dataset.data).toEqual([]);
      }
      expect(stillWaiting).toEqual(preordersDrawn);
      for (const name of CHARTS.filter((chart) => chart !== 'preordersWaiting')) expect(await page.isVisible(`#${name}-empty`)).toBe(true);
      expect(await page.isHidden('#preordersWaiting-empty')).toBe(true);
      expect(await page.textContent('#status')).toBe('No data in this range.');
      await screenshot(page, EMPTY_SCREENSHOT);

      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
