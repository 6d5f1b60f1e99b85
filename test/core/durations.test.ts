import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/durations.ts';

describe('formatDuration', () => {
  it('writes durations for people, not as seconds with a decimal', () => {
    const cases: [number, string][] = [
      [0, '0 ms'],
      [4.6, '5 ms'],
      [999.4, '999 ms'],
      [1_000, '1 s'],
      [2_340, '2.3 s'],
      [9_940, '9.9 s'],
      [9_960, '10 s'],
      [12_400, '12 s'],
      [59_400, '59 s'],
      [59_600, '1 min'],
      [125_300, '2 min 5 s'],
      [3_599_000, '59 min 59 s'],
      [3_600_000, '1 h'],
      [3_725_000, '1 h 2 min'],
      [86_400_000, '1 day'],
      [90_000_000, '1 day 1 h'],
      [3 * 86_400_000 + 7_200_000, '3 days 2 h'],
      [-5, '0 ms'],
      [Number.NaN, '0 ms'],
    ];
    for (const [ms, text] of cases) expect([ms, formatDuration(ms)]).toEqual([ms, text]);
  });

  it('never writes a zero part, a decimal past 10 s, or 60 of a unit', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e10, noNaN: true }), (ms) => {
        const text = formatDuration(ms);
        expect(text).toMatch(/^(\d+ ms|\d(\.\d)? s|\d+ s|\d+ min( \d+ s)?|\d+ h( \d+ min)?|\d+ days?( \d+ h)?)$/u);
        expect(text).not.toMatch(/(^|\D)0 (s|min|h)|\b60 (s|min)|\b24 h/u);
      }),
    );
  });
});
