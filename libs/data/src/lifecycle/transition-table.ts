/**
 * Which status may follow which, as data (Vendure's order process, OFBiz's StatusValidChange): a
 * new status or a new move is an entry here, not a condition in a service. A status with no
 * successor is final.
 */
export type TransitionTable<S extends string> = { readonly [From in S]: { readonly to: readonly S[] } };

export function canTransition<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return table[from].to.includes(to);
}

/** The statuses from which `to` may be reached: what a set-based write may find in the rows it moves there. */
export function predecessorsOf<S extends string>(table: TransitionTable<S>, to: S): S[] {
  return statusesOf(table).filter((from) => canTransition(table, from, to));
}

export function isFinal<S extends string>(table: TransitionTable<S>, status: S): boolean {
  return table[status].to.length === 0;
}

/** Every allowed move as [from, to] pairs, the form the database checks a write against. */
export function transitionPairs<S extends string>(table: TransitionTable<S>): { from: S[]; to: S[] } {
  const pairs = statusesOf(table).flatMap((from) => table[from].to.map((to) => [from, to] as const));
  return { from: pairs.map(([from]) => from), to: pairs.map(([, to]) => to) };
}

function statusesOf<S extends string>(table: TransitionTable<S>): S[] {
  return Object.keys(table) as S[];
}
