import { describe, expect, it } from 'vitest';
import { fold, processTerm, terms, tokenize, truncateAtWord } from '../../src/core/text.ts';

describe('processTerm', () => {
  it('lowercases, folds diacritics and stems', () => {
    expect(processTerm('Subscribers')).toBe('subscrib');
    expect(processTerm('Crème')).toBe('creme');
  });

  it('drops stop words and single letters', () => {
    expect(processTerm('the')).toBeNull();
    expect(processTerm('wasn’t')).toBeNull();
    expect(processTerm('a')).toBeNull();
  });

  it('keeps numbers as written, without thousands separators', () => {
    expect(processTerm('464,000')).toBe('464000');
    expect(processTerm('1.13bn')).toBe('1.13bn');
    expect(processTerm('2016')).toBe('2016');
  });

  it('keeps an all-capital acronym even when it spells a stop word', () => {
    expect(processTerm('IT')).toBe('it');
    expect(processTerm('it')).toBeNull();
    expect(processTerm('U.S.')).toBe('us');
  });
});

describe('terms', () => {
  it('turns text into its search terms, in order', () => {
    expect(terms('The U.S. lost 464,000 subscribers; profits jumped 76% to $1.13bn in 2016.')).toEqual([
      'us',
      'lost',
      '464000',
      'subscrib',
      'profit',
      'jump',
      '76',
      '1.13bn',
      '2016',
    ]);
  });

  it('does not treat capitals as acronyms in a text written all in capitals', () => {
    expect(terms('WHAT IS THE OFFICIAL LANGUAGE OF PERU')).toEqual(['offici', 'languag', 'peru']);
  });
});

describe('tokenize', () => {
  it('gives each token its span in the text', () => {
    const text = 'Rank’s unit, worth £300m.';
    expect(tokenize(text).map((t) => text.slice(t.start, t.end))).toEqual(['Rank’s', 'unit', 'worth', '300m']);
  });
});

describe('fold', () => {
  it('strips combining marks', () => {
    expect(fold('Ça Brûle')).toBe('ca brule');
  });
});

describe('truncateAtWord', () => {
  it('leaves short text alone', () => {
    expect(truncateAtWord('Syrian war', 20)).toBe('Syrian war');
  });

  it('cuts at a word boundary and adds an ellipsis within the limit', () => {
    expect(truncateAtWord('Syrian President Bashar Assad has accused Turkey', 20)).toBe('Syrian President…');
  });
});
