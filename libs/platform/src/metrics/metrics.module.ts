import { Global, Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { MetricsRegistry } from './metrics.registry';

@Global()
@Module({ providers: [MetricsRegistry, HttpMetrics], exports: [MetricsRegistry, HttpMetrics] })
export class MetricsModule {}
