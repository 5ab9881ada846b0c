import { InvalidInputError } from '@app/platform';
import { resolveEtlWindow } from './etl-window';

describe('resolveEtlWindow', () => {
  const today = '2026-03-10';

  it('is incremental (no window) when neither end is given', () => {
    expect(resolveEtlWindow({}, today)).toBeUndefined();
  });

  it('fills a missing end: from alone runs to today, to alone is that one day', () => {
    expect(resolveEtlWindow({ from: '2026-03-01' }, today)).toEqual({ from: '2026-03-01', to: today });
    expect(resolveEtlWindow({ to: '2026-03-05' }, today)).toEqual({ from: '2026-03-05', to: '2026-03-05' });
    expect(resolveEtlWindow({ from: '2026-02-01', to: '2026-02-28' }, today)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('refuses a window that ends before it starts, naming the field', () => {
    expect(() => resolveEtlWindow({ from: '2026-03-02', to: '2026-03-01' }, today)).toThrow(InvalidInputError);
    expect(() => resolveEtlWindow({ from: '2026-04-01' }, today)).toThrow(/from/);
  });
});
