import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

/** The parts of an OpenAPI 3.0 document that the check reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface ReceivedResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
}

const COMPONENT_REF = '#/components/schemas/';
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * A copy of the document's schemas that ajv can compile on their own: component references become
 * the component's name (each component is added to ajv under it), and every object that lists its
 * properties without saying otherwise is closed. The document itself leaves objects open, so that
 * clients tolerate fields added later; the tests hold the server to exactly the fields it declares.
 */
function forAjv<T>(node: T): T {
  if (Array.isArray(node)) return node.map(forAjv) as T;
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] = key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF) ? value.slice(COMPONENT_REF.length) : forAjv(value);
  }
  if (copy.type === 'object' && 'properties' in copy && !('additionalProperties' in copy)) copy.additionalProperties = false;
  return copy as T;
}

/** `/api/v1/orders/{id}` -> a pattern that matches `/api/v1/orders/<anything but a slash>`. */
function routePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

const parameterCount = (template: string) => (template.match(/\{/g) ?? []).length;

/**
 * Holds real responses against an OpenAPI document the app serves (/docs/json, /internal/docs/json):
 * a documented route must answer with a status the document declares for it, and a JSON body must
 * match that status's schema. Routes the document does not have (deliberately bogus URLs) and bodies
 * that are not JSON (Swagger UI, Prometheus text) are left alone.
 */
export class OpenApiResponseCheck {
  private readonly ajv = new Ajv({ allErrors: true, strict: true });
  private readonly validators = new Map<string, ValidateFunction | null>();
  private readonly routes: Route[];

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addKeyword('example');
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) this.ajv.addSchema(forAjv(schema) as object, name);
    this.routes = Object.entries(document.paths)
      .flatMap(([template, operations]) =>
        Object.keys(operations)
          .filter((method) => HTTP_METHODS.has(method))
          .map((method) => ({ method, template, pattern: routePattern(template) })),
      )
      // A literal segment wins over a parameter: /inventory/adjustments before /inventory/{facilityId}.
      .sort((a, b) => parameterCount(a.template) - parameterCount(b.template));
  }

  static fromFile(path: string): OpenApiResponseCheck {
    return new OpenApiResponseCheck(JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument);
  }

  documents(method: string, url: string): boolean {
    return this.routeOf(method.toLowerCase(), new URL(url).pathname) !== undefined;
  }

  /** Throws, naming the route, status and problem, when the response is not what the document declares. */
  check(method: string, url: string, response: ReceivedResponse): void {
    const route = this.routeOf(method.toLowerCase(), new URL(url).pathname);
    if (!route) return;
    const name = `${method.toUpperCase()} ${route.template}`;
    const responses = this.document.paths[route.template][route.method].responses;
    const status = [String(response.status), `${String(response.status)[0]}XX`, 'default'].find((key) => key in responses);
    if (status === undefined) {
      throw new Error(
        `${name} answered ${response.status}, which the OpenAPI document does not declare (it declares ${Object.keys(responses).join(', ')}): ${describe(response.body)}`,
      );
    }
    if (!response.headers.get('content-type')?.includes('application/json')) return;
    const validate = this.validatorFor(route, status);
    if (!validate)
      throw new Error(
        `${name} answered ${response.status} with a JSON body, but the OpenAPI document declares none for it: ${describe(response.body)}`,
      );
    if (!validate(response.body)) {
      const problems = this.ajv.errorsText(validate.errors, { dataVar: 'body', separator: '; ' });
      throw new Error(
        `${name} answered ${response.status} with a body that does not match the OpenAPI document: ${problems}\nbody: ${describe(response.body)}`,
      );
    }
  }

  private routeOf(method: string, pathname: string): Route | undefined {
    return this.routes.find((route) => route.method === method && route.pattern.test(pathname));
  }

  private validatorFor(route: Route, status: string): ValidateFunction | null {
    const key = `${route.method} ${route.template} ${status}`;
    if (!this.validators.has(key)) {
      const schema = this.document.paths[route.template][route.method].responses[status].content?.['application/json']?.schema;
      this.validators.set(key, schema === undefined ? null : this.ajv.compile(forAjv(schema) as object));
    }
    return this.validators.get(key)!;
  }
}

function describe(body: unknown): string {
  const text = JSON.stringify(body) ?? String(body);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
