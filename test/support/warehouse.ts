import { Client } from 'pg';
import { ADDRESS, ADMIN_HEADERS, ApiFixture, ApiResponse, documentedRequest, Order } from './api-fixture';
import { eventually } from './http';

export interface EtlRun {
  id: string;
  trigger: 'manual' | 'schedule';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  source: 'replica' | 'primary' | null;
  rowsLoaded: number;
  rowsPerTable: Record<string, number>;
  windowFrom: string | null;
  windowTo: string | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The internal API of the fixture's instance with the admin token; every response is checked against the OpenAPI document. */
export function internalRequest<T>(f: ApiFixture, method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
  return documentedRequest<T>(`${f.internalUrl}${path}`, method, body, ADMIN_HEADERS);
}

/** Waits until the replica has replayed every write on the primary so far: the ETL reads the replica. */
export async function replicaCaughtUp(f: ApiFixture): Promise<void> {
  const [{ lsn }] = await f.sql<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  await eventually(async () => {
    const replica = new Client({ connectionString: f.databases.replicaUrl });
    await replica.connect();
    try {
      return (await replica.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn])).rows[0].ok as boolean;
    } finally {
      await replica.end();
    }
  }, 30_000);
}

/** Polls the run until it has succeeded or failed (30 s at most). */
export async function etlRunFinished(f: ApiFixture, id: string): Promise<EtlRun> {
  let run: EtlRun | undefined;
  await eventually(async () => {
    run = (await internalRequest<EtlRun>(f, 'GET', `/internal/warehouse/etl-runs/${id}`)).body;
    return run.status === 'succeeded' || run.status === 'failed';
  }, 30_000);
  return run!;
}

/** An order of one line, created through the API and brokered by a running worker (20 s at most). */
export async function brokeredOrder(f: ApiFixture, productId: string, quantity: number): Promise<Order> {
  const created = await f.api<Order>('POST', '/orders', {
    customer: { email: 'w@example.com' },
    shippingAddress: ADDRESS,
    items: [{ productId, quantity }],
  });
  expect(created.status).toBe(201);
  let order: Order | undefined;
  await eventually(async () => {
    order = (await f.api<Order>('GET', `/orders/${created.body.id}`)).body;
    return order.status === 'BROKERED';
  }, 20_000);
  return order!;
}
