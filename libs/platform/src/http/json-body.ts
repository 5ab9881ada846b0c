import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FieldProblem } from '../errors/domain-errors';
import { invalidRequest, nulCharacterProblems } from './invalid-request';

/**
 * What a request body may hold, checked right after parsing and before any validation: the work
 * done on a body (class-transformer copies every value, class-validator walks every object) then
 * grows with the body's size only, and a refusal costs one pass over the parsed value.
 */
export const JSON_BODY_LIMITS = {
  /** Nesting levels; deeper bodies also break recursive code (stack overflow). */
  maxDepth: 64,
  /** Properties in one object. */
  maxProperties: 1_000,
  /** Items in one array. */
  maxItems: 500,
  /** Values (objects, arrays, scalars) in the whole body: an order of 500 items holds a few thousand. */
  maxValues: 20_000,
} as const;

export type JsonBodyLimits = Record<keyof typeof JSON_BODY_LIMITS, number>;

interface Pending {
  value: unknown;
  depth: number;
}

/** The first limit the parsed body exceeds, or undefined. Iterative, so any depth is safe; stops at the first problem. */
export function jsonBodyLimitProblem(body: unknown, limits: JsonBodyLimits = JSON_BODY_LIMITS): FieldProblem | undefined {
  const pending: Pending[] = [{ value: body, depth: 0 }];
  let values = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next;
    if (++values > limits.maxValues) return { field: 'body', message: `must hold at most ${limits.maxValues} values` };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limits.maxDepth) return { field: 'body', message: `must be nested at most ${limits.maxDepth} levels deep` };
    const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
    if (Array.isArray(value) && children.length > limits.maxItems) {
      return { field: 'body', message: `arrays must hold at most ${limits.maxItems} items` };
    }
    if (!Array.isArray(value) && children.length > limits.maxProperties) {
      return { field: 'body', message: `objects must hold at most ${limits.maxProperties} properties` };
    }
    for (const child of children) pending.push({ value: child, depth: depth + 1 });
  }
  return undefined;
}

/** The body's strings holding U+0000, which PostgreSQL cannot store; JSON spells it \u0000, so most bodies need no walk. */
function nulCharacterProblemsOf(text: string, body: unknown): FieldProblem[] {
  return text.includes('\\u0000') ? nulCharacterProblems(body) : [];
}

/** The route option (Nest: `@RouteConfig(RAW_JSON_BODY)`) of routes that take their JSON body as received. */
export const RAW_JSON_BODY = { rawBody: true } as const;

/** A request of a RAW_JSON_BODY route: its body's bytes, unparsed (the property Nest's own `rawBody` option sets). */
export interface RawBodyRequest {
  rawBody?: Buffer;
}

function takesRawBody(request: FastifyRequest): boolean {
  return (request.routeOptions.config as Partial<typeof RAW_JSON_BODY>).rawBody === true;
}

/**
 * The only body parser: JSON (with Fastify's own prototype-poisoning checks), then JSON_BODY_LIMITS,
 * then the NUL character. Any other content type is refused by Fastify with 415, so a form-encoded
 * body is never taken for an object. A RAW_JSON_BODY route gets the bytes as `rawBody` instead
 * (a signature is over them), and checks and parses them itself; the size limit holds for it too.
 */
export function acceptOnlyJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, bytes, done) => {
    if (takesRawBody(request)) {
      (request as RawBodyRequest).rawBody = bytes as Buffer;
      return done(null, undefined);
    }
    const text = (bytes as Buffer).toString('utf8');
    void parseJson(request, text, (error, body) => {
      if (error) return done(error, undefined);
      const problem = jsonBodyLimitProblem(body);
      if (problem !== undefined)
        return done(new BadRequestException({ message: `request body too complex: ${problem.message}`, details: [problem] }), undefined);
      const nulCharacters = nulCharacterProblemsOf(text, body);
      if (nulCharacters.length > 0) return done(invalidRequest(nulCharacters), undefined);
      done(null, body);
    });
  });
}
