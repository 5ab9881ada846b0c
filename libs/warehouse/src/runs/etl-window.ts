import { InvalidInputError } from '@app/platform';
import type { EtlWindow } from './etl-run.view';

/**
 * The window a run is asked for: none at all is an incremental run; `to` alone is that one day;
 * `from` alone runs to today. Dates are checked for format by the caller's validation.
 */
export function resolveEtlWindow(input: { from?: string; to?: string }, today: string): EtlWindow | undefined {
  if (input.from === undefined && input.to === undefined) return undefined;
  const to = input.to ?? today;
  const from = input.from ?? to;
  if (from > to)
    throw new InvalidInputError('from must not be after to', [{ field: 'from', message: `from (${from}) must not be after to (${to})` }]);
  return { from, to };
}
