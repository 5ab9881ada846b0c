import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { withPathsWhere } from './document-subset';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const returning = (schema: SchemaObject | ReferenceObject) => ({
  get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } },
});

const document: OpenAPIObject = {
  openapi: '3.0.0',
  info: { title: 'test', version: '1' },
  paths: {
    '/api/v1/orders': returning({ type: 'array', items: ref('OrderDto') }),
    '/internal/api-keys': returning(ref('ApiKeyDto')),
  },
  components: {
    schemas: {
      OrderDto: { type: 'object', properties: { items: { type: 'array', items: ref('OrderItemDto') }, error: { allOf: [ref('ErrorDto')] } } },
      OrderItemDto: { type: 'object', properties: { error: ref('ErrorDto') } },
      ErrorDto: { type: 'object' },
      ApiKeyDto: { type: 'object', properties: { error: ref('ErrorDto') } },
    },
    securitySchemes: { 'api-key': { type: 'http', scheme: 'bearer' } },
  },
};

describe('a document cut down to some of its paths', () => {
  const subset = withPathsWhere(document, (path) => path.startsWith('/api/v1/'));

  it('keeps the accepted paths only', () => {
    expect(Object.keys(subset.paths)).toEqual(['/api/v1/orders']);
  });

  it('keeps the schemas those paths use, also through other schemas (each once), in the order of the document', () => {
    expect(Object.keys(subset.components?.schemas ?? {})).toEqual(['OrderDto', 'OrderItemDto', 'ErrorDto']);
  });

  it('keeps the rest of the document as it is', () => {
    expect(subset.info).toBe(document.info);
    expect(subset.components?.securitySchemes).toBe(document.components?.securitySchemes);
  });
});
