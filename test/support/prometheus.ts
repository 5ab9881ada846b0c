import { ADMIN_HEADERS, httpRequest } from './api-fixture';

/** GET /metrics with the admin token; fails unless it answers 200. */
export async function scrapeMetrics(baseUrl: string): Promise<string> {
  const response = await httpRequest<string>(`${baseUrl}/metrics`, 'GET', undefined, ADMIN_HEADERS);
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}`);
  return response.body;
}

/** The value of the one sample of `name` whose labels include `labels`, or undefined when there is none. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}
