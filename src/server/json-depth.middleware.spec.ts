import { jsonDepth, MAX_JSON_DEPTH } from './json-depth.middleware';

describe(jsonDepth.name, () => {
  it('counts objects and arrays, not scalars', () => {
    expect(jsonDepth('text')).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: null }] })).toBe(3);
  });

  it('measures a value nested far deeper than the call stack allows, and stops early past the limit', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(jsonDepth(deep)).toBe(100_000);
    expect(jsonDepth(deep, MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
  });
});
