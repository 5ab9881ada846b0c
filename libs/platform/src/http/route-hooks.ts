/** The hooks of one kind a route was declared with, as an array: Fastify allows none, one or several. */
export function declaredHooks<Hook>(declared: Hook | Hook[] | undefined): Hook[] {
  return declared === undefined ? [] : ([] as Hook[]).concat(declared);
}
