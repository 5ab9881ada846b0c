import { Registry } from 'prom-client';
import { scrapedGauge } from './scraped-gauge';

describe('scrapedGauge', () => {
  it('reads its values on every scrape', async () => {
    const registry = new Registry();
    let depth = 3;
    scrapedGauge({ registry, name: 'depth', help: 'h', labelNames: ['queue'], read: async (gauge) => gauge.set({ queue: 'a' }, depth) });
    expect(await registry.metrics()).toContain('depth{queue="a"} 3');
    depth = 5;
    expect(await registry.metrics()).toContain('depth{queue="a"} 5');
  });

  it('shows no stale series when the source fails', async () => {
    const registry = new Registry();
    let fail = false;
    scrapedGauge({
      registry,
      name: 'depth',
      help: 'h',
      labelNames: ['queue'],
      read: async (gauge) => {
        if (fail) throw new Error('redis down');
        gauge.set({ queue: 'a' }, 3);
      },
    });
    expect(await registry.metrics()).toContain('depth{queue="a"} 3');
    fail = true;
    expect(await registry.metrics()).not.toContain('depth{queue="a"}');
  });

  it('answers the scrape after the timeout when the source hangs, NaN rather than a false 0', async () => {
    const registry = new Registry();
    scrapedGauge({ registry, name: 'hanging', help: 'h', read: () => new Promise(() => undefined), timeoutMs: 20 });
    scrapedGauge({ registry, name: 'other', help: 'h', read: async (gauge) => gauge.set(1) });
    const text = await registry.metrics();
    expect(text).toContain('other 1');
    expect(text).toMatch(/^hanging nan$/im); // prom-client prints Nan, which Prometheus parses as NaN
  });
});
