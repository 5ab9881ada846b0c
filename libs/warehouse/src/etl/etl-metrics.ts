import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@app/platform';
import { Counter, Histogram } from 'prom-client';
import type { EtlTrigger } from '../runs/etl-run.view';
import type { RowsPerTable } from './star-schema';

/** ETL runs as the worker that runs them sees them: how long each took, and the rows loaded per warehouse table. */
@Injectable()
export class EtlMetrics {
  private readonly duration: Histogram<'trigger' | 'status'>;
  private readonly rowsLoaded: Counter<'table'>;

  constructor(registry: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'etl_run_duration_seconds',
      help: 'Warehouse ETL runs from claim to end, by trigger (manual, schedule) and status (succeeded, failed)',
      labelNames: ['trigger', 'status'],
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    });
    this.rowsLoaded = new Counter({
      name: 'etl_rows_loaded_total',
      help: 'Rows inserted or changed in the warehouse by ETL runs, per table',
      labelNames: ['table'],
      registers: [registry],
    });
  }

  succeeded(trigger: EtlTrigger, seconds: number, rowsPerTable: RowsPerTable): void {
    this.duration.observe({ trigger, status: 'succeeded' }, seconds);
    for (const [table, rows] of Object.entries(rowsPerTable)) this.rowsLoaded.inc({ table }, rows);
  }

  failed(trigger: EtlTrigger, seconds: number): void {
    this.duration.observe({ trigger, status: 'failed' }, seconds);
  }
}
