import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';
import type { FieldProblem } from '../errors/domain-errors';
import { fieldPath } from './field-path';
import { isPlainObject } from './plain-object';

type Constructor = abstract new (...args: never[]) => unknown;
/** A DTO's properties, each with the DTO class of its nested value(s), if it has one. */
type Shape = Map<string, Constructor | undefined>;

const shapes = new Map<Constructor, Shape>();

/** The properties class-validator's whitelist allows on `dto`, read once from the same metadata. */
function shapeOf(dto: Constructor): Shape {
  let shape = shapes.get(dto);
  if (shape === undefined) {
    shape = new Map();
    for (const { propertyName } of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
      if (shape.has(propertyName)) continue;
      shape.set(propertyName, defaultMetadataStorage.findTypeMetadata(dto, propertyName)?.typeFunction() as Constructor | undefined);
    }
    shapes.set(dto, shape);
  }
  return shape;
}

interface Pending {
  value: unknown;
  dto: Constructor;
  path: string;
}

/**
 * The first property of `value` that `dto` (or a nested DTO) does not declare, as class-validator's
 * whitelist would name it; undefined when there is none. Stops at the first one, so that a body
 * with thousands of unknown properties is refused without copying them (class-transformer would
 * copy every nested value before class-validator flags the one property that holds them).
 */
export function firstUnknownProperty(value: unknown, dto: Constructor): FieldProblem | undefined {
  const pending: Pending[] = [{ value, dto, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (!isPlainObject(next.value)) continue;
    const shape = shapeOf(next.dto);
    for (const property in next.value) {
      if (!shape.has(property)) return { field: fieldPath(next.path, property), message: `property ${property} should not exist` };
      const nestedDto = shape.get(property);
      if (nestedDto === undefined) continue;
      const nested = next.value[property];
      const path = fieldPath(next.path, property);
      if (Array.isArray(nested))
        nested.forEach((element, index) => pending.push({ value: element, dto: nestedDto, path: fieldPath(path, String(index)) }));
      else pending.push({ value: nested, dto: nestedDto, path });
    }
  }
  return undefined;
}
