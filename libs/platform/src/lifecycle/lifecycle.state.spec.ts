import { LifecycleState } from './lifecycle.state';

describe('LifecycleState', () => {
  it('tells its drain listeners once, when draining starts', () => {
    const state = new LifecycleState();
    const listener = jest.fn();
    state.onDraining(listener);
    expect(state.isDraining).toBe(false);
    state.startDraining();
    state.startDraining();
    expect(state.isDraining).toBe(true);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
