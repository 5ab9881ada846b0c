export * from './cache.module';
export * from './rate-limit/rate-limit.storage';
export * from './redis.client';
export * from './redis.health';
export * from './tiered/cache-invalidator';
export * from './tiered/cached-response';
export * from './tiered/response-cache.module';
export * from './tiered/tiered-cache.service';
