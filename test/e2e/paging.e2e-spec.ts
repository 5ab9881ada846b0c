import { ApiFixture, ApiResponse, Page, Product, startApi, uniqueSuffix } from '../support/api-fixture';

const EXISTING = 500;
const WORKERS = 10;
const PAGE = 37;

describe('cursor paging is stable under concurrent inserts', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('paging');
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('GET /products?limit=37 visits every pre-existing product exactly once (no skip, no repeat) while products keep being inserted', async () => {
    const existing: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < EXISTING) {
          next++;
          existing.push((await f.createProduct({ name: `Existing ${next}` })).id);
        }
      }),
    );
    expect(existing).toHaveLength(EXISTING);

    let inserting = true;
    const inserted: string[] = [];
    const insertErrors: string[] = [];
    const inserter = (async () => {
      while (inserting) {
        const response = await f.api<Product>('POST', '/products', { sku: `NEW-${uniqueSuffix()}`, name: 'Inserted while paging', price: '1.00' });
        if (response.status === 201) inserted.push(response.body.id);
        else insertErrors.push(`${response.status} ${JSON.stringify(response.body)}`);
      }
    })();

    const visited: string[] = [];
    let pages = 0;
    try {
      let cursor: string | null = null;
      do {
        const path: string = `/products?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const response: ApiResponse<Page<Product>> = await f.api<Page<Product>>('GET', path);
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(PAGE);
        visited.push(...response.body.items.map((p) => p.id));
        cursor = response.body.nextCursor;
        pages++;
        // Let the inserter interleave with the pages.
        await new Promise((resolve) => setTimeout(resolve, 5));
      } while (cursor && pages < 200);
    } finally {
      inserting = false;
      await inserter;
    }

    expect(insertErrors).toEqual([]);
    expect(inserted.length).toBeGreaterThan(0);
    expect(pages).toBeLessThan(200);
    const counts = new Map<string, number>();
    for (const id of visited) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    const missing = existing.filter((id) => !counts.has(id));
    expect(missing).toEqual([]);
    expect(visited.slice(0, EXISTING).sort()).toEqual([...existing].sort());
  });
});
