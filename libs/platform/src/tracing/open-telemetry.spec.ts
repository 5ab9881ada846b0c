import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { continuation } from './open-telemetry';

const first = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const second = '00-1bf7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01';

describe('continuation (where a job span caused by outbox events starts)', () => {
  it("continues the first cause's trace as a remote parent and links the others", () => {
    const { parent, links } = continuation([first, second]);
    expect(trace.getSpanContext(parent)).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    expect(links.map((link) => link.context.traceId)).toEqual(['1bf7651916cd43dd8448eb211c80319c']);
  });

  it('starts a trace of its own without a cause, and leaves out causes that do not parse', () => {
    expect(continuation([])).toEqual({ parent: ROOT_CONTEXT, links: [] });
    const { parent, links } = continuation(['garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01', second]);
    expect(trace.getSpanContext(parent)?.traceId).toBe('1bf7651916cd43dd8448eb211c80319c');
    expect(links).toEqual([]);
  });
});
