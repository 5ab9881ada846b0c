import fc from 'fast-check';

/** The parts of an OpenAPI 3.0 schema object that request DTOs produce. */
export interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      { requestBody?: { content: Record<string, { schema: SchemaObject }> }; parameters?: { name: string; in: string; schema?: SchemaObject }[] }
    >
  >;
  components: { schemas: Record<string, SchemaObject> };
}

/** Values that break naive code: wrong types, extremes, U+0000, huge and odd strings. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, '', true, 0, -1, 2 ** 31, -(2 ** 31) - 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 0.5, '\u0000', 'x'.repeat(5_000)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }).map((text) => `${text}\u0000${text}`),
  fc.integer(),
  fc.double(),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** A timestamp-shaped string whose fields may be out of range (month 99, hour 25): the cursor's weak spot. */
export const timestampLike: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), ...Array.from({ length: 5 }, () => fc.integer({ min: 0, max: 99 })), fc.integer({ min: 0, max: 999_999 }))
  .map(([y, ...rest]) => {
    const [mo, d, h, mi, s, us] = rest.map((n, i) => String(n).padStart(i === 5 ? 6 : 2, '0'));
    return `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}.${us}Z`;
  });

/** Cursors: random text, and well-encoded positions holding impossible timestamps or odd ids. */
export const cursorLike: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .tuple(timestampLike, fc.oneof(fc.uuid(), fc.string({ maxLength: 10 })))
    .map((position) => Buffer.from(JSON.stringify(position)).toString('base64url')),
);

export class SchemaArbitraries {
  constructor(
    private readonly document: OpenApiDocument,
    /** Ids that exist, so that some generated requests get past validation into the database. */
    private readonly knownIds: string[],
  ) {}

  resolve(schema: SchemaObject): SchemaObject {
    if (schema.$ref) return this.resolve(this.document.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length === 1) return this.resolve(schema.allOf[0]);
    return schema;
  }

  /** Mostly plausible values for the schema (so deep paths are reached), sometimes hostile ones. */
  value(schema: SchemaObject, depth = 0): fc.Arbitrary<unknown> {
    return fc.oneof({ weight: 4, arbitrary: this.plausible(this.resolve(schema), depth) }, { weight: 1, arbitrary: hostileValue });
  }

  /** An object of the schema's shape: required fields usually present, optional ones sometimes, an unknown one rarely. */
  body(schema: SchemaObject, depth = 0): fc.Arbitrary<Record<string, unknown>> {
    const resolved = this.resolve(schema);
    const properties = resolved.properties ?? {};
    const required = new Set(resolved.required ?? []);
    const fields = Object.entries(properties).map(([name, property]) =>
      fc
        .tuple(fc.double({ min: 0, max: 1, noNaN: true }), depth > 3 ? hostileValue : this.value(property, depth + 1))
        .map(([dice, value]) => (dice < (required.has(name) ? 0.95 : 0.5) ? ([[name, value]] as [string, unknown][]) : [])),
    );
    const unknownField = fc.oneof(
      { weight: 9, arbitrary: fc.constant([] as [string, unknown][]) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('unexpectedField'), hostileValue).map((entry) => [entry]) },
    );
    return fc.tuple(...fields, unknownField).map((entries) => Object.fromEntries(entries.flat()));
  }

  private plausible(schema: SchemaObject, depth: number): fc.Arbitrary<unknown> {
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.oneOf?.length) return fc.oneof(...schema.oneOf.map((option) => this.plausible(this.resolve(option), depth + 1)));
    switch (schema.type) {
      case 'string':
        return this.text(schema);
      case 'integer':
        return fc.integer({ min: Math.max(schema.minimum ?? -1e6, -(2 ** 31)) - 2, max: Math.min(schema.maximum ?? 1e6, 2 ** 31) + 2 });
      case 'number':
        return fc.double({ min: (schema.minimum ?? -1e6) - 1, max: (schema.maximum ?? 1e6) + 1, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.value(schema.items ?? {}, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
      case 'object':
        return this.body(schema, depth);
      default:
        return hostileValue;
    }
  }

  private text(schema: SchemaObject): fc.Arbitrary<string> {
    if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...this.knownIds), fc.uuid());
    if (schema.format === 'email') return fc.emailAddress();
    if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
    const minLength = schema.minLength ?? 0;
    const maxLength = Math.min(schema.maxLength ?? 50, 300);
    return fc.oneof(
      fc.string({ minLength, maxLength }),
      fc.string({ unit: 'binary', minLength, maxLength }),
      fc.constantFrom('19.99', '0', '-1.00', '1.001', '999999999999999999.99'),
    );
  }
}
