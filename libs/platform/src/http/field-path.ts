/** The path of a property or array index below `parent`, as error details name fields: `items[0].quantity`. */
export function fieldPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}
