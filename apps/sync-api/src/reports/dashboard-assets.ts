import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DateRange } from '@app/warehouse';

export interface DashboardAsset {
  body: Buffer;
  contentType: string;
}

/** The page and its files, copied next to this module by the build (nest-cli.json assets). */
const DASHBOARD_DIR = join(__dirname, 'dashboard');
/** Chart.js's UMD build (it defines the global `Chart`); the package's exports hide this path from require.resolve. */
const CHART_JS_UMD = join(dirname(require.resolve('chart.js')), 'chart.umd.js');

/** The dashboard's page and the scripts and styles it loads, read once at start: a fixed set, never a path from the request. */
@Injectable()
export class DashboardAssets {
  private readonly pageTemplate = readFileSync(join(DASHBOARD_DIR, 'dashboard.html'), 'utf8');
  private readonly files = new Map<string, DashboardAsset>([
    ['chart.umd.js', { body: readFileSync(CHART_JS_UMD), contentType: 'text/javascript; charset=utf-8' }],
    ['dashboard.js', { body: readFileSync(join(DASHBOARD_DIR, 'dashboard.js')), contentType: 'text/javascript; charset=utf-8' }],
    ['dashboard.css', { body: readFileSync(join(DASHBOARD_DIR, 'dashboard.css')), contentType: 'text/css; charset=utf-8' }],
  ]);

  /** The page with the date inputs preset to `range` (validated dates: nothing to escape). */
  page(range: DateRange): string {
    return this.pageTemplate.replaceAll('{{from}}', range.from).replaceAll('{{to}}', range.to);
  }

  file(name: string): DashboardAsset | undefined {
    return this.files.get(name);
  }
}
