export * from './cache.module';
export * from './redis.client';
export * from './redis.health';
