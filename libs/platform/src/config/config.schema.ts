import { z } from 'zod';

const DEV_ADMIN_TOKEN = 'dev-admin-token';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const urlWithScheme = (schemes: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a URL with scheme ${schemes.join(' or ')}` },
  );

const postgresUrl = urlWithScheme(['postgres', 'postgresql']);
const otlpHttpUrl = urlWithScheme(['http', 'https']);

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

const cronExpression = z.string().refine(
  (value) => {
    const fields = value.trim().split(/\s+/);
    return (fields.length === 5 || fields.length === 6) && fields.every((f) => /^[\d*/,\-A-Za-z?LW#]+$/.test(f));
  },
  { message: 'must be a cron expression of 5 or 6 fields' },
);

/** An IANA name, which JavaScript (Intl) and PostgreSQL (AT TIME ZONE) read alike; an offset such as +01:00 is not one (PostgreSQL reads its sign the other way). */
const timeZone = z.string().refine(
  (value) => {
    if (!/^[A-Za-z]/.test(value)) return false;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as UTC or Europe/Berlin' },
);

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: port(3000),
    INTERNAL_PORT: port(3001),
    INTERNAL_HOST: z.string().min(1).default('127.0.0.1'),
    WORKER_HEALTH_PORT: port(3002),
    DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/oms'),
    DATABASE_REPLICA_URLS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((url) => url.trim())
          .filter(Boolean),
      )
      .pipe(z.array(postgresUrl)),
    WAREHOUSE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/warehouse'),
    REDIS_URL: urlWithScheme(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or -')
      .default('oms'),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    READ_FROM_REPLICA: booleanFlag(false),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
    BROKERING_SWEEP_CRON: cronExpression.default('*/5 * * * *'),
    BROKERING_TZ: timeZone.default('UTC'),
    WAREHOUSE_ETL_CRON: cronExpression.default('5 0 * * *'),
    AUTO_CANCEL_CRON: cronExpression.default('*/15 * * * *'),
    AVAILABILITY_SNAPSHOT_CRON: cronExpression.default('30 2 * * *'),
    PICKUP_EXPIRY_DAYS: z.coerce
      .number({ message: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(0)
      .max(365)
      .default(7),
    WEBHOOK_RETRY_BASE_MS: z.coerce
      .number({ message: 'must be a whole number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1)
      .max(3_600_000)
      .default(10_000),
    WAREHOUSE_TZ: timeZone.default('UTC'),
    CACHE_ENABLED: booleanFlag(true),
    CACHE_L1_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
    CACHE_L1_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000),
    CACHE_L1_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(32 * 1024 * 1024),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl.optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpHttpUrl.optional(),
    OTEL_SERVICE_NAME: z.string().min(1).max(255).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.ADMIN_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_TOKEN'], message: 'is required when NODE_ENV=production' });
    }
  });

export type Environment = z.infer<typeof configSchema>;

/** Every environment variable the apps read: the one list that deployment files (docker/compose.yaml, infra/) are checked against. */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as readonly (keyof Environment)[];

export interface AppConfig {
  nodeEnv: Environment['NODE_ENV'];
  http: { host: string; port: number; internalHost: string; internalPort: number; workerHealthPort: number };
  database: { primaryUrl: string; replicaUrls: string[]; warehouseUrl: string; readFromReplica: boolean };
  redisUrl: string;
  /** Prefix of every BullMQ key and cache key or channel in Redis: systems (or test runs) sharing one Redis never see each other's. */
  queuePrefix: string;
  /** The response cache (`enabled: false` reads the database every time); its in-process tier (0 ms TTL turns it off). */
  cache: { enabled: boolean; l1TtlMs: number; l1MaxEntries: number; l1MaxBytes: number };
  admin: { token: string; isDevDefault: boolean };
  shutdownDrainMs: number;
  rateLimitPerMinute: number;
  schedules: {
    brokeringSweepCron: string;
    warehouseEtlCron: string;
    warehouseTimeZone: string;
    autoCancelCron: string;
    /** The nightly snapshot of every channel's availability (UTC). */
    availabilitySnapshotCron: string;
  };
  /** The time zone whose date is the day of facility capacity (maximumOrdersPerDay). */
  brokering: { timeZone: string };
  /** Days an order ready for pickup waits to be collected before the AUTO_CANCEL_CRON schedule cancels it (0: at its next tick). */
  pickup: { expiryDays: number };
  /** Outbound webhooks: the wait before a failed delivery's first retry (it doubles up to an hour, for 24 h). */
  webhooks: { retryBaseMs: number };
  logLevel: Environment['LOG_LEVEL'];
  /** OpenTelemetry traces over OTLP/HTTP: on only when an endpoint is set (tracesUrl); serviceName defaults to the app's name. */
  tracing: { tracesUrl: string | undefined; serviceName: string | undefined };
}

/**
 * Where spans go, as OTLP/HTTP exporters read the two variables: the traces endpoint as given, or
 * `v1/traces` under the general endpoint; none turns tracing off.
 */
function otlpTracesUrl(env: Pick<Environment, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}

export class ConfigError extends Error {}

/** Validates the environment once; the error message is one line naming the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const nonEmpty = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = configSchema.safeParse(nonEmpty);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    const shown = env[variable] === undefined ? 'missing' : JSON.stringify(env[variable]);
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message} (got ${shown})`);
  }
  const e = result.data;
  return {
    nodeEnv: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      internalHost: e.INTERNAL_HOST,
      internalPort: e.INTERNAL_PORT,
      workerHealthPort: e.WORKER_HEALTH_PORT,
    },
    database: {
      primaryUrl: e.DATABASE_URL,
      replicaUrls: e.DATABASE_REPLICA_URLS,
      warehouseUrl: e.WAREHOUSE_URL,
      readFromReplica: e.READ_FROM_REPLICA,
    },
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    admin: { token: e.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN, isDevDefault: !e.ADMIN_TOKEN },
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    cache: { enabled: e.CACHE_ENABLED, l1TtlMs: e.CACHE_L1_TTL_MS, l1MaxEntries: e.CACHE_L1_MAX_ENTRIES, l1MaxBytes: e.CACHE_L1_MAX_BYTES },
    schedules: {
      brokeringSweepCron: e.BROKERING_SWEEP_CRON,
      warehouseEtlCron: e.WAREHOUSE_ETL_CRON,
      warehouseTimeZone: e.WAREHOUSE_TZ,
      autoCancelCron: e.AUTO_CANCEL_CRON,
      availabilitySnapshotCron: e.AVAILABILITY_SNAPSHOT_CRON,
    },
    brokering: { timeZone: e.BROKERING_TZ },
    pickup: { expiryDays: e.PICKUP_EXPIRY_DAYS },
    webhooks: { retryBaseMs: e.WEBHOOK_RETRY_BASE_MS },
    logLevel: e.LOG_LEVEL,
    tracing: { tracesUrl: otlpTracesUrl(e), serviceName: e.OTEL_SERVICE_NAME },
  };
}
