import { describe, expect, it } from 'vitest';
import { processTerm, terms } from '../../src/core/text.ts';
import {
  DETERMINERS,
  MONTH_NAMES,
  NAME_TITLES,
  NOT_NOUNS,
  OBJECT_PRONOUNS,
  SEARCH_STOP_WORDS,
  SUBJECT_PRONOUNS,
  WEEKDAY_NAMES,
} from '../../src/core/word-lists.ts';

describe('word lists', () => {
  it('drops every search stop word from search terms, however it is capitalised at a sentence start', () => {
    for (const word of SEARCH_STOP_WORDS) {
      expect(processTerm(word), word).toBeNull();
      expect(processTerm(word.charAt(0).toUpperCase() + word.slice(1)), word).toBeNull();
    }
  });

  it('computes the terms of names as the index reads them, with no hand stemming', () => {
    expect(terms(MONTH_NAMES.join(' '))).toEqual([
      'januari',
      'februari',
      'march',
      'april',
      'mai',
      'june',
      'juli',
      'august',
      'septemb',
      'octob',
      'novemb',
      'decemb',
    ]);
    expect(terms(WEEKDAY_NAMES.join(' '))).toEqual(['mondai', 'tuesdai', 'wednesdai', 'thursdai', 'fridai', 'saturdai', 'sundai']);
    const titles = new Set(terms(NAME_TITLES.join(' ')));
    // What the index makes of "President Bush" and "Mrs Thatcher" in a sentence.
    expect(terms('said President Bush and Mrs Thatcher').filter((t) => titles.has(t))).toEqual(['presid', 'mr']);
  });

  it('keeps one list of determiners, and tells subject pronouns from object pronouns', () => {
    for (const word of ['the', 'a', 'an', 'his', 'their', 'our', 'this', 'those']) expect(DETERMINERS.has(word), word).toBe(true);
    expect(DETERMINERS.has('new')).toBe(false);
    expect([...SUBJECT_PRONOUNS].filter((w) => OBJECT_PRONOUNS.has(w)).sort()).toEqual(['it', 'you']);
    expect(SUBJECT_PRONOUNS.has('he') && !OBJECT_PRONOUNS.has('he')).toBe(true);
    expect(OBJECT_PRONOUNS.has('them') && !SUBJECT_PRONOUNS.has('them')).toBe(true);
  });

  it('holds only lower-case words in the lists compared with lower-cased text', () => {
    for (const list of [SEARCH_STOP_WORDS, NOT_NOUNS, DETERMINERS, SUBJECT_PRONOUNS, OBJECT_PRONOUNS])
      for (const word of list) expect(word, word).toBe(word.toLowerCase());
  });
});
