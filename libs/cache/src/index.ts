export * from './cache.module';
export * from './rate-limit/rate-limit.storage';
export * from './redis.client';
export * from './redis.health';
