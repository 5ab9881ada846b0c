import { requestFingerprint } from './canonical-json';

describe('requestFingerprint', () => {
  it('ignores key order and undefined members', () => {
    expect(requestFingerprint({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(
      requestFingerprint({ b: { c: [1, { e: 3, d: 2 }] }, a: 1, z: undefined }),
    );
  });

  it('tells different bodies apart, including array order', () => {
    expect(requestFingerprint({ items: [1, 2] })).not.toBe(requestFingerprint({ items: [2, 1] }));
    expect(requestFingerprint({ q: 1 })).not.toBe(requestFingerprint({ q: '1' }));
  });
});
