import type { TransitionTable } from './transition-table';

/** A Mermaid state diagram of a transitions table: one arrow per allowed move, in the table's order, from `start`. */
export function transitionDiagram<S extends string>(table: TransitionTable<S>, start: S): string {
  const moves = (Object.keys(table) as S[]).flatMap((from) => table[from].to.filter((to) => to !== from).map((to) => `  ${from} --> ${to}`));
  return ['stateDiagram-v2', `  [*] --> ${start}`, ...moves].join('\n');
}
