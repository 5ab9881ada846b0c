import { getMetadataArgsStorage } from 'typeorm';

type EntityClass<T> = new () => T;

/**
 * The SELECT list of an entity's columns, each aliased to its property (`sales_channel AS
 * "salesChannel"`), read from the entity's TypeORM metadata: the entities are the one TypeScript
 * description of the schema (the migrations create it), and the row types are the entity types.
 * A numeric column that the entity types as a number is read as float8, so that it arrives as one;
 * a date column is read as its YYYY-MM-DD text (the driver would make it a Date at local midnight).
 */
export function selectColumns<T, K extends keyof T & string>(entity: EntityClass<T>, properties?: readonly K[]): string {
  const columns = getMetadataArgsStorage().filterColumns(entity);
  const wanted = properties ?? columns.map((column) => column.propertyName as K);
  return wanted
    .map((property) => {
      const column = columns.find((candidate) => candidate.propertyName === property);
      if (!column) throw new Error(`${entity.name} has no column for property ${property}`);
      const name = column.options.name ?? property;
      const designType: unknown = Reflect.getMetadata('design:type', entity.prototype as object, property);
      const expression =
        column.options.type === 'numeric' && designType === Number
          ? `${name}::float8`
          : column.options.type === 'date'
            ? `to_char(${name}, 'YYYY-MM-DD')`
            : name;
      return expression === property ? property : `${expression} AS "${property}"`;
    })
    .join(', ');
}
