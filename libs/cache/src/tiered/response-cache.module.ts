import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EarlyResponses } from '@app/platform';
import { CacheModule } from '../cache.module';
import { CachedResponseInterceptor } from './cached-response';
import { CACHE_ADMISSION, CacheAdmission, L1FastPath } from './l1-fast-path';

export interface ResponseCacheOptions {
  /**
   * The app's check that lets L1 hits be served before its guards run (see CacheAdmission), and
   * the modules it needs. Without one, every request goes through the guards.
   */
  admission?: { useClass: Type<CacheAdmission>; imports?: ModuleMetadata['imports'] };
}

/** The read side of the cache, for an app that serves HTTP: import it once, in the app's root module. */
@Module({})
export class ResponseCacheModule {
  static forRoot(options: ResponseCacheOptions = {}): DynamicModule {
    const admission = options.admission === undefined ? [] : [{ provide: CACHE_ADMISSION, useClass: options.admission.useClass }];
    return {
      module: ResponseCacheModule,
      global: true,
      imports: [CacheModule, DiscoveryModule, ...(options.admission?.imports ?? [])],
      providers: [CachedResponseInterceptor, EarlyResponses, L1FastPath, ...admission],
      exports: [CacheModule, CachedResponseInterceptor],
    };
  }
}
