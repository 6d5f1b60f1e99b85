import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasTerm } from '../../src/core/archive.ts';

describe('hasTerm', () => {
  it('finds the ids an ascending list holds, and only those', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 500 })), fc.integer({ min: -1, max: 501 }), (ids, probe) => {
        const sorted = Int32Array.from(ids).sort();
        expect(hasTerm(sorted, probe)).toBe(ids.includes(probe));
        for (const id of ids) expect(hasTerm(sorted, id)).toBe(true);
      }),
    );
  });

  it('holds nothing when empty', () => {
    expect(hasTerm(new Int32Array(0), 0)).toBe(false);
  });
});
