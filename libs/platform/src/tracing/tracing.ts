import type { AppConfig } from '../config/config.schema';

/** Where spans go, and as which service. */
export interface TracingTarget {
  /** The OTLP/HTTP (JSON) traces endpoint. */
  tracesUrl: string;
  serviceName: string;
}

export type SpanAttributes = Record<string, string | number | boolean | string[]>;

/** A span for work that a request caused elsewhere (a job the outbox carried from it). */
export interface ConsumerSpanOptions {
  attributes: SpanAttributes;
  /** W3C traceparents of the spans that caused the work: the span continues the first one's trace and links the others. */
  causes: readonly string[];
}

/** What the apps ask of tracing; the same calls do nothing while it is off. */
export interface TracingBackend {
  traceparent(): string | undefined;
  consume<T>(name: string, options: ConsumerSpanOptions, work: () => Promise<T>): Promise<T>;
  shutdown(): Promise<void>;
}

const OFF: TracingBackend = {
  traceparent: () => undefined,
  consume: (_name, _options, work) => work(),
  shutdown: () => Promise.resolve(),
};

let backend: TracingBackend = OFF;

/**
 * Starts OpenTelemetry when an OTLP endpoint is configured, and returns where spans go (undefined:
 * tracing is off). Call it before anything loads http, pg or ioredis, so that their instrumentations
 * can patch them. While off, no OpenTelemetry module is even loaded: the only cost is the calls of
 * this file, which return at once.
 */
export function startTracing(config: Pick<AppConfig, 'tracing'>, appName: string): TracingTarget | undefined {
  const { tracesUrl, serviceName = appName } = config.tracing;
  if (tracesUrl === undefined) return undefined;
  if (backend !== OFF) throw new Error('tracing is already started');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required here, and only here, so that nothing of OpenTelemetry loads while tracing is off
  const { startOpenTelemetry } = require('./open-telemetry') as typeof import('./open-telemetry');
  const target = { tracesUrl, serviceName };
  backend = startOpenTelemetry(target);
  return target;
}

/** The W3C traceparent of the span under way, for work that continues elsewhere (an outbox event); undefined while tracing is off. */
export function currentTraceparent(): string | undefined {
  return backend.traceparent();
}

/** Runs `work` in a consumer span caused by `options.causes` (a plain call while tracing is off). */
export function inConsumerSpan<T>(name: string, options: ConsumerSpanOptions, work: () => Promise<T>): Promise<T> {
  return backend.consume(name, options, work);
}

/** Exports the spans still buffered and stops tracing; part of the graceful shutdown. */
export async function shutdownTracing(): Promise<void> {
  const stopping = backend;
  backend = OFF;
  await stopping.shutdown();
}
