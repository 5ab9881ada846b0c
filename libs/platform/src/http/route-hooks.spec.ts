import { declaredHooks } from './route-hooks';

describe('declaredHooks', () => {
  it('gives none, one or several declared hooks as a new array', () => {
    const hook = () => undefined;
    const several = [hook, hook];
    expect(declaredHooks(undefined)).toEqual([]);
    expect(declaredHooks(hook)).toEqual([hook]);
    expect(declaredHooks(several)).toEqual(several);
    expect(declaredHooks(several)).not.toBe(several);
  });
});
