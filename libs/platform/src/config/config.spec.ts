import { ConfigError, parseConfig } from './config.schema';

describe('parseConfig', () => {
  it('applies the documented defaults (README.md, Configuration) when nothing is set', () => {
    const config = parseConfig({});
    expect(config.http).toEqual({
      host: '0.0.0.0',
      port: 3000,
      internalHost: '127.0.0.1',
      internalPort: 3001,
      workerHealthPort: 3002,
    });
    expect(config.database).toEqual({
      primaryUrl: 'postgres://postgres@127.0.0.1:5432/oms',
      replicaUrls: [],
      warehouseUrl: 'postgres://postgres@127.0.0.1:5432/warehouse',
      readFromReplica: false,
    });
    expect(config.shutdownDrainMs).toBe(10_000);
    expect(config.rateLimitPerMinute).toBe(6000);
    expect(config.schedules).toEqual({
      brokeringSweepCron: '*/5 * * * *',
      warehouseEtlCron: '5 0 * * *',
      warehouseTimeZone: 'UTC',
      autoCancelCron: '*/15 * * * *',
      availabilitySnapshotCron: '30 2 * * *',
    });
    expect(config.brokering).toEqual({ timeZone: 'UTC' });
    expect(config.pickup).toEqual({ expiryDays: 7 });
    expect(parseConfig({ PICKUP_EXPIRY_DAYS: '0' }).pickup.expiryDays).toBe(0);
    expect(config.webhooks).toEqual({ retryBaseMs: 10_000 });
    expect(parseConfig({ WEBHOOK_RETRY_BASE_MS: '200' }).webhooks.retryBaseMs).toBe(200);
    expect(parseConfig({ BROKERING_TZ: 'America/New_York' }).brokering.timeZone).toBe('America/New_York');
    expect(config.admin.isDevDefault).toBe(true);
    expect(config.queuePrefix).toBe('oms');
    expect(config.cache).toEqual({ enabled: true, l1TtlMs: 5_000, l1MaxEntries: 10_000, l1MaxBytes: 32 * 1024 * 1024 });
    expect(parseConfig({ CACHE_ENABLED: 'false', CACHE_L1_TTL_MS: '0' }).cache).toMatchObject({ enabled: false, l1TtlMs: 0 });
  });

  it('splits and validates the comma-separated replica list', () => {
    const config = parseConfig({ DATABASE_REPLICA_URLS: 'postgres://a:5433/oms, postgresql://b:5433/oms' });
    expect(config.database.replicaUrls).toEqual(['postgres://a:5433/oms', 'postgresql://b:5433/oms']);
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ PORT: '', DATABASE_REPLICA_URLS: '' }).http.port).toBe(3000);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['INTERNAL_PORT', '-1'],
    ['DATABASE_URL', 'mysql://localhost/oms'],
    ['DATABASE_REPLICA_URLS', 'postgres://ok:5433/oms,not a url'],
    ['REDIS_URL', 'http://localhost'],
    ['SHUTDOWN_DRAIN_MS', '1.5'],
    ['READ_FROM_REPLICA', 'yes'],
    ['RATE_LIMIT_PER_MINUTE', '-5'],
    ['BROKERING_SWEEP_CRON', 'every five minutes'],
    ['QUEUE_PREFIX', 'has:colon'],
    ['WAREHOUSE_ETL_CRON', '* * *'],
    ['AUTO_CANCEL_CRON', 'every day'],
    ['AVAILABILITY_SNAPSHOT_CRON', 'nightly'],
    ['PICKUP_EXPIRY_DAYS', 'a week'],
    ['PICKUP_EXPIRY_DAYS', '1.5'],
    ['PICKUP_EXPIRY_DAYS', '-1'],
    ['WEBHOOK_RETRY_BASE_MS', 'ten seconds'],
    ['WEBHOOK_RETRY_BASE_MS', '0'],
    ['WEBHOOK_RETRY_BASE_MS', '2.5'],
    ['WAREHOUSE_TZ', 'Mars/Olympus'],
    ['BROKERING_TZ', 'Mars/Olympus'],
    ['BROKERING_TZ', '+01:00'],
    ['LOG_LEVEL', 'loud'],
    ['CACHE_ENABLED', 'maybe'],
    ['CACHE_L1_TTL_MS', '-1'],
    ['CACHE_L1_MAX_BYTES', '10'],
    ['ADMIN_TOKEN', 'short'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'grpc://collector:4317'],
  ])('rejects %s=%s with one line naming the variable', (variable, value) => {
    let error: unknown;
    try {
      parseConfig({ [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
    expect(message).not.toContain('\n');
  });

  it('requires ADMIN_TOKEN in production', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_TOKEN is required when NODE_ENV=production/);
    expect(parseConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'a-long-enough-secret' }).admin.isDevDefault).toBe(false);
  });

  it('turns tracing on only with an OTLP endpoint: v1/traces under the general one, the traces one as given', () => {
    expect(parseConfig({}).tracing).toEqual({ tracesUrl: undefined, serviceName: undefined });
    expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing.tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example/prefix' }).tracing.tracesUrl).toBe(
      'https://otlp.example/prefix/v1/traces',
    );
    const both = parseConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
      OTEL_SERVICE_NAME: 'oms-api-eu',
    });
    expect(both.tracing).toEqual({ tracesUrl: 'http://traces:9999/custom', serviceName: 'oms-api-eu' });
  });

  it('accepts the 6-field cron form with seconds', () => {
    expect(parseConfig({ BROKERING_SWEEP_CRON: '*/10 * * * * *' }).schedules.brokeringSweepCron).toBe('*/10 * * * * *');
  });
});
