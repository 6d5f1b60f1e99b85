import { describe, expect, it } from 'vitest';
import { isNumberWord, parseFractionWords, parseNumberWords, parseNumeral, smallNumberWord } from '../../src/core/numbers.ts';

const words = (phrase: string): string[] => phrase.split(/[\s-]+/);

describe('parseNumeral', () => {
  it.each([
    ['7', 7],
    ['2016', 2016],
    ['7,000', 7000],
    ['464,000', 464000],
    ['1,000,000', 1000000],
    ['1.13', 1.13],
    ['2,225.5', 2225.5],
  ])('reads %s as %d', (text, value) => {
    expect(parseNumeral(text)).toBe(value);
  });

  it.each(['1,00', '12,3456', '1.2.3', '', 'abc', '5m', ',000', '1,000,'])('refuses %j', (text) => {
    expect(parseNumeral(text)).toBeNull();
  });

  it('refuses numerals too long to be finite', () => {
    expect(parseNumeral('9'.repeat(400))).toBeNull();
  });
});

describe('parseNumberWords', () => {
  it.each([
    ['one', 1],
    ['twelve', 12],
    ['twenty-five', 25],
    ['twenty five', 25],
    ['ninety-nine', 99],
    ['a hundred', 100],
    ['one hundred and twenty', 120],
    ['five hundred thousand', 500000],
    ['two thousand and five', 2005],
    ['a million', 1e6],
    ['five million', 5e6],
    ['half a million', 500000],
    ['a quarter of a million', 250000],
    ['two and a half', 2.5],
    ['two and a half million', 2.5e6],
    ['a dozen', 12],
    ['two dozen', 24],
    ['half a dozen', 6],
  ])('reads %j as %d', (phrase, value) => {
    const w = words(phrase);
    expect(parseNumberWords(w)).toEqual({ value, length: w.length, vague: false });
  });

  it('stops at the first word that is not part of the number', () => {
    expect(parseNumberWords(['three', 'men', 'and', 'two', 'women'])).toEqual({ value: 3, length: 1, vague: false });
    expect(parseNumberWords(['five', 'hundred', 'and', 'fifty', 'people'])).toEqual({ value: 550, length: 4, vague: false });
  });

  it('does not keep a dangling "and"', () => {
    expect(parseNumberWords(['one', 'hundred', 'and'])).toEqual({ value: 100, length: 2, vague: false });
  });

  it('refuses sequences that are not one number', () => {
    expect(parseNumberWords(['one', 'two'])).toEqual({ value: 1, length: 1, vague: false });
    expect(parseNumberWords(['twenty', 'twenty'])).toEqual({ value: 20, length: 1, vague: false });
    expect(parseNumberWords(['million'])).toBeNull();
    expect(parseNumberWords(['hundred'])).toBeNull();
  });

  it.each([
    ['dozens', 24, 1],
    ['scores', 40, 1],
    ['hundreds', 200, 1],
    ['thousands', 2000, 1],
    ['millions', 2e6, 1],
    ['tens of thousands', 20000, 3],
    ['hundreds of thousands', 200000, 3],
    ['tens of millions', 2e7, 3],
  ])('values the vague plural %j at twice its unit (%d)', (phrase, value, length) => {
    expect(parseNumberWords(words(phrase))).toEqual({ value, length, vague: true });
  });

  it.each([[['a']], [['an', 'apple']], [['the']], [['third']], [['tens']], [[]]])('finds no number in %j', (w) => {
    expect(parseNumberWords(w)).toBeNull();
  });
});

describe('parseFractionWords', () => {
  it.each([
    ['half', 0.5, 1],
    ['a half', 0.5, 2],
    ['a third', 1 / 3, 2],
    ['two-thirds', 2 / 3, 2],
    ['a quarter', 0.25, 2],
    ['three quarters', 0.75, 2],
    ['one fifth', 0.2, 2],
  ])('reads %j as %d', (phrase, value, length) => {
    expect(parseFractionWords(words(phrase))).toEqual({ value, length });
  });

  it.each(['third', 'the third', 'two third', 'one thirds', 'five quarters', 'quarter'])(
    'refuses %j, which is an ordinal or not English',
    (phrase) => {
      expect(parseFractionWords(words(phrase))).toBeNull();
    },
  );
});

describe('smallNumberWord', () => {
  it('knows the words from one to ninety', () => {
    expect(smallNumberWord('one')).toBe(1);
    expect(smallNumberWord('seventeen')).toBe(17);
    expect(smallNumberWord('ninety')).toBe(90);
    expect(smallNumberWord('hundred')).toBeNull();
    expect(smallNumberWord('first')).toBeNull();
  });
});

describe('isNumberWord', () => {
  it('accepts number words and refuses ordinals and articles', () => {
    expect(['five', 'thirty', 'hundred', 'million', 'dozen', 'thousands'].every(isNumberWord)).toBe(true);
    expect(['third', 'a', 'first', 'once', 'tens'].some(isNumberWord)).toBe(false);
  });
});
