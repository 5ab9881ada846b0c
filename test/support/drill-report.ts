import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize, TrafficReport, trafficFigures } from './traffic';

export const RUN_DIR = join(__dirname, '..', '..', '.run');

/**
 * A drill's figures: one line in the test output (what the drill is for: an operator reads it) and
 * one JSON line in .run/drill-reports.jsonl, so a CI run keeps them.
 */
export function reportDrill(line: string, figures: Record<string, unknown> = {}): void {
  // The report is the drill's output, not a log of the product: the console is where it belongs.
  // eslint-disable-next-line no-console
  console.log(line);
  mkdirSync(RUN_DIR, { recursive: true });
  appendFileSync(join(RUN_DIR, 'drill-reports.jsonl'), `${JSON.stringify({ at: new Date().toISOString(), line, ...figures })}\n`);
}

/** Writes a JSON report to .run/<name>; returns its path. */
export function writeRunReport(name: string, report: unknown): string {
  mkdirSync(RUN_DIR, { recursive: true });
  const path = join(RUN_DIR, name);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** The one-line summary of a drill's traffic (and what else the drill saw), printed and kept. */
export function reportTraffic(name: string, report: TrafficReport, extra: Record<string, number | string> = {}): void {
  const more = Object.entries(extra).map(([key, value]) => `; ${key}: ${value}`);
  reportDrill(`${summarize(name, report)}${more.join('')}`, { drill: name, ...trafficFigures(report), ...extra });
}
