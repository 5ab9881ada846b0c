import type { TracingBackend, TracingTarget } from './tracing';

const mockStartOpenTelemetry = jest.fn<TracingBackend, [TracingTarget]>();
const mockModuleLoaded = jest.fn();
jest.mock('./open-telemetry', () => {
  mockModuleLoaded();
  return { startOpenTelemetry: mockStartOpenTelemetry };
});

/** A fresh copy of tracing.ts (it holds the process's one backend). */
function loadTracing(): typeof import('./tracing') {
  let loaded: typeof import('./tracing') | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<typeof import('./tracing')>('./tracing');
  });
  return loaded!;
}

const off = { tracing: { tracesUrl: undefined, serviceName: undefined } };

describe('startTracing', () => {
  beforeEach(() => {
    mockModuleLoaded.mockClear();
    mockStartOpenTelemetry.mockReset();
  });

  it('loads no OpenTelemetry module without an endpoint, and every call is a plain pass-through', async () => {
    const tracing = loadTracing();
    expect(tracing.startTracing(off, 'sync-api')).toBeUndefined();
    expect(tracing.currentTraceparent()).toBeUndefined();
    await expect(tracing.inConsumerSpan('process job', { attributes: {}, causes: ['00-x'] }, async () => 42)).resolves.toBe(42);
    await expect(tracing.shutdownTracing()).resolves.toBeUndefined();
    expect(mockModuleLoaded).not.toHaveBeenCalled();
  });

  it('starts OpenTelemetry with an endpoint, as the app unless OTEL_SERVICE_NAME says otherwise, and hands the calls to it', async () => {
    const backend: TracingBackend = {
      traceparent: () => '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      consume: jest.fn((_name, _options, work) => work()),
      shutdown: jest.fn(() => Promise.resolve()),
    };
    mockStartOpenTelemetry.mockReturnValue(backend);
    const tracing = loadTracing();

    expect(tracing.startTracing({ tracing: { tracesUrl: 'http://collector:4318/v1/traces', serviceName: undefined } }, 'async-worker')).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'async-worker',
    });
    expect(mockModuleLoaded).toHaveBeenCalledTimes(1);
    expect(mockStartOpenTelemetry).toHaveBeenCalledWith({ tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'async-worker' });
    expect(tracing.currentTraceparent()).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    const options = { attributes: { 'oms.job.name': 'broker-orders' }, causes: ['00-a'] };
    await expect(tracing.inConsumerSpan('process broker-orders', options, async () => 'done')).resolves.toBe('done');
    expect(backend.consume).toHaveBeenCalledWith('process broker-orders', options, expect.any(Function));
    expect(() => tracing.startTracing({ tracing: { tracesUrl: 'http://other:4318/v1/traces', serviceName: undefined } }, 'x')).toThrow(
      /already started/,
    );

    await tracing.shutdownTracing();
    expect(backend.shutdown).toHaveBeenCalledTimes(1);
    expect(tracing.currentTraceparent()).toBeUndefined();
  });

  it('names the service OTEL_SERVICE_NAME when set', () => {
    mockStartOpenTelemetry.mockReturnValue({ traceparent: () => undefined, consume: (_n, _o, work) => work(), shutdown: () => Promise.resolve() });
    const target = loadTracing().startTracing({ tracing: { tracesUrl: 'https://otlp.example/v1/traces', serviceName: 'oms-api-eu' } }, 'sync-api');
    expect(target?.serviceName).toBe('oms-api-eu');
  });
});
