import { Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { throttledWarning } from '../async/throttled-warning';
import { withTimeout } from '../async/with-timeout';

/** Below Prometheus' default scrape timeout (10 s), so that the other metrics of the scrape still arrive. */
export const SCRAPE_READ_TIMEOUT_MS = 2000;

export interface ScrapedGaugeOptions<Label extends string> {
  registry: Registry;
  name: string;
  help: string;
  labelNames?: readonly Label[];
  /** Sets the gauge's values from their source. */
  read: (gauge: Gauge<Label>) => Promise<void>;
  timeoutMs?: number;
}

const warn = throttledWarning(new Logger('Metrics'));

/**
 * A gauge read from its source (Redis, SQL) when scraped, bounded in time so that the scrape never
 * hangs. A source that fails or does not answer in time shows no stale values: a labelled gauge has
 * no series then, one without labels (which prom-client always prints) is NaN rather than a false 0.
 */
export function scrapedGauge<Label extends string>(options: ScrapedGaugeOptions<Label>): Gauge<Label> {
  const { registry, name, help, labelNames = [], read, timeoutMs = SCRAPE_READ_TIMEOUT_MS } = options;
  return new Gauge<Label>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        await withTimeout(read(this), timeoutMs, `${name} was not read`);
      } catch (error) {
        if (labelNames.length === 0) this.set(NaN);
        warn(`metric ${name} unavailable: ${(error as Error).message}`);
      }
    },
  });
}
