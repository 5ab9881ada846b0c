import { redisOptions } from './job-queues.module';

describe('redisOptions', () => {
  it('reads host, port, credentials, database and TLS from REDIS_URL', () => {
    expect(redisOptions('rediss://app:p%40ss@cache.internal:6380/2', 'producer')).toMatchObject({
      host: 'cache.internal',
      port: 6380,
      username: 'app',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(redisOptions('redis://127.0.0.1', 'producer')).toMatchObject({ host: '127.0.0.1', port: 6379, db: undefined, tls: undefined });
  });

  it('lets workers wait for Redis and makes producers fail fast', () => {
    expect(redisOptions('redis://127.0.0.1:6379', 'worker')).toMatchObject({ maxRetriesPerRequest: null });
    expect(redisOptions('redis://127.0.0.1:6379', 'producer')).toMatchObject({ maxRetriesPerRequest: 1, enableOfflineQueue: false });
  });
});
