import fc from 'fast-check';
import { JSON_BODY_LIMITS, jsonBodyLimitProblem, JsonBodyLimits } from './json-body';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('jsonBodyLimitProblem', () => {
  it('accepts a body within every limit', () => {
    const items = Array.from({ length: JSON_BODY_LIMITS.maxItems }, (_, i) => ({ productId: `p${i}`, quantity: 1 }));
    expect(jsonBodyLimitProblem({ items, shippingAddress: { city: 'Paris' } })).toBeUndefined();
    expect(jsonBodyLimitProblem(nested(JSON_BODY_LIMITS.maxDepth))).toBeUndefined();
  });

  it('refuses nesting deeper than the limit, however deep, without recursion', () => {
    expect(jsonBodyLimitProblem(nested(JSON_BODY_LIMITS.maxDepth + 1))?.message).toMatch(/nested at most 64/);
    expect(jsonBodyLimitProblem(nested(100_000))?.message).toMatch(/nested at most 64/);
  });

  it('refuses an object with too many properties and an array with too many items', () => {
    const wide = Object.fromEntries(Array.from({ length: JSON_BODY_LIMITS.maxProperties + 1 }, (_, i) => [`k${i}`, i]));
    expect(jsonBodyLimitProblem({ nested: wide })?.message).toMatch(/at most 1000 properties/);
    expect(jsonBodyLimitProblem({ items: new Array(JSON_BODY_LIMITS.maxItems + 1).fill(1) })?.message).toMatch(/at most 500 items/);
  });

  it('refuses a body with too many values in total, each object and array within its own limit', () => {
    const row = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const body = { rows: new Array(JSON_BODY_LIMITS.maxValues / 100).fill(row) };
    expect(jsonBodyLimitProblem(body)?.message).toMatch(/at most 20000 values/);
  });

  it('agrees with a recursive check of the same limits on any JSON value', () => {
    const limits = { maxDepth: 4, maxProperties: 3, maxItems: 3, maxValues: 30 };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const problem = jsonBodyLimitProblem(value, limits);
        expect(problem === undefined).toBe(withinLimits(value, limits));
      }),
    );
  });
});

/** The limits checked recursively, the obvious way: the reference the iterative check must agree with. */
function withinLimits(value: unknown, limits: JsonBodyLimits): boolean {
  let values = 0;
  const visit = (node: unknown, depth: number): boolean => {
    values++;
    if (typeof node !== 'object' || node === null) return true;
    if (depth >= limits.maxDepth) return false;
    const children = Object.values(node);
    if (Array.isArray(node) ? children.length > limits.maxItems : children.length > limits.maxProperties) return false;
    return children.every((child) => visit(child, depth + 1));
  };
  return visit(value, 0) && values <= limits.maxValues;
}
