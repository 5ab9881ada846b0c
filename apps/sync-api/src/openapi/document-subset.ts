import type { OpenAPIObject } from '@nestjs/swagger';

const SCHEMA_REF = '#/components/schemas/';

/** Adds to `found` the name of every component schema `node` refers to, directly or through other schemas. */
function collectSchemaRefs(node: unknown, schemas: Record<string, unknown>, found: Set<string>): void {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key !== '$ref' || typeof value !== 'string' || !value.startsWith(SCHEMA_REF)) {
      collectSchemaRefs(value, schemas, found);
      continue;
    }
    const name = value.slice(SCHEMA_REF.length);
    if (found.has(name)) continue;
    found.add(name);
    collectSchemaRefs(schemas[name], schemas, found);
  }
}

/** The document cut down to the paths `keep` accepts, with the schemas those paths use and no other. */
export function withPathsWhere(document: OpenAPIObject, keep: (path: string) => boolean): OpenAPIObject {
  const paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => keep(path)));
  const schemas = document.components?.schemas ?? {};
  const used = new Set<string>();
  collectSchemaRefs(paths, schemas, used);
  return {
    ...document,
    paths,
    components: { ...document.components, schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name))) },
  };
}
