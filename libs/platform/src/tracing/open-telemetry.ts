import {
  Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  Link,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { IncomingMessage } from 'node:http';
import type { ConsumerSpanOptions, TracingBackend, TracingTarget } from './tracing';

const TRACER_NAME = 'oms';
/** Probes and scrapes, several a second per instance: spans of no interest. */
const UNTRACED_PATHS = /^\/(health\/|metrics(\?|$))/;

const w3c = new W3CTraceContextPropagator();

function untraced(request: IncomingMessage): boolean {
  return UNTRACED_PATHS.test(request.url ?? '');
}

/**
 * Where a span caused by `traceparents` starts: in the first one's trace, linking the others. They
 * come from the database and Redis: those that do not parse are left out.
 */
export function continuation(traceparents: readonly string[]): { parent: Context; links: Link[] } {
  const [first, ...others] = traceparents.flatMap(
    (traceparent) => trace.getSpanContext(w3c.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter)) ?? [],
  );
  return {
    parent: first === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, first),
    links: others.map((linked) => ({ context: linked })),
  };
}

/**
 * The process's tracer provider: spans batched to OTLP/HTTP, HTTP server and client spans, and SQL
 * and Redis spans only inside a span (the relay's polls and BullMQ's blocking reads would otherwise
 * each start a trace of their own).
 */
export function startOpenTelemetry(target: TracingTarget): TracingBackend {
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: target.serviceName })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: target.tracesUrl }))],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: untraced }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  // @app/platform loads Fastify, and with it http, before tracing can start: requiring http again
  // lets its instrumentation patch that one shared copy (pg and ioredis load later, and are patched as they load).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  require('node:http');
  const tracer = provider.getTracer(TRACER_NAME);

  return {
    traceparent(): string | undefined {
      const carrier: { traceparent?: string } = {};
      w3c.inject(context.active(), carrier, defaultTextMapSetter);
      return carrier.traceparent;
    },

    consume<T>(name: string, { attributes, causes }: ConsumerSpanOptions, work: () => Promise<T>): Promise<T> {
      const { parent, links } = continuation(causes);
      return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes, links }, parent, async (span) => {
        try {
          return await work();
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      });
    },

    shutdown: () => provider.shutdown(),
  };
}
