import { Global, Module } from '@nestjs/common';
import { CacheModule } from '../cache.module';
import { CacheMetrics } from './cache-metrics';
import { CachedResponseInterceptor } from './cached-response';
import { TieredCache } from './tiered-cache.service';

/** The read side of the cache, for an app that serves HTTP: import it once, in the app's root module. */
@Global()
@Module({
  imports: [CacheModule],
  providers: [CacheMetrics, TieredCache, CachedResponseInterceptor],
  exports: [TieredCache, CachedResponseInterceptor],
})
export class ResponseCacheModule {}
