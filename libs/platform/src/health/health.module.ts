import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LifecycleState } from '../lifecycle/lifecycle.state';
import { HealthController } from './health.controller';
import type { ReadinessCheck } from './readiness-check';
import { READINESS_CHECKS, ReadinessService } from './readiness.service';

export interface HealthModuleOptions {
  /** Modules that export the checks. */
  imports: ModuleMetadata['imports'];
  checks: Type<ReadinessCheck>[];
}

@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      imports: [TerminusModule, ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        LifecycleState,
        ReadinessService,
        { provide: READINESS_CHECKS, useFactory: (...checks: ReadinessCheck[]) => checks, inject: options.checks },
      ],
      exports: [LifecycleState],
    };
  }
}
