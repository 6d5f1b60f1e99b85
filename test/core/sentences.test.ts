import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sentenceSpans, splitSentences } from '../../src/core/sentences.ts';

describe('splitSentences', () => {
  it('splits at full stops, question marks and exclamation marks followed by a capital', () => {
    expect(splitSentences('Profits rose. Shares fell! Why? Nobody knows.')).toEqual([
      'Profits rose.',
      'Shares fell!',
      'Why?',
      'Nobody knows.',
    ]);
  });

  it('does not break at titles, acronyms, initials or "No." before a number', () => {
    expect(splitSentences('Mr. Smith met Dr. Jones at No. 10 Downing Street. The U.S. economy grew. J. K. Rowling agreed.')).toEqual([
      'Mr. Smith met Dr. Jones at No. 10 Downing Street.',
      'The U.S. economy grew.',
      'J. K. Rowling agreed.',
    ]);
  });

  it('does not break inside numbers, percentages or at an ellipsis', () => {
    expect(splitSentences('Profits were $1.13bn, up 2.5%... Then shares rose 0.8%. Analysts cheered.')).toEqual([
      'Profits were $1.13bn, up 2.5%... Then shares rose 0.8%.',
      'Analysts cheered.',
    ]);
  });

  it('keeps a quotation whole, and ends the sentence after its closing quote', () => {
    expect(splitSentences('He said, “Why should I and Erdogan meet? To have soft drinks?” He left.')).toEqual([
      'He said, “Why should I and Erdogan meet? To have soft drinks?”',
      'He left.',
    ]);
    expect(splitSentences('"It is over. We lost." Fans wept.')).toEqual(['"It is over. We lost."', 'Fans wept.']);
  });

  it('restarts a quote that opens again before closing, as news copy does across paragraphs', () => {
    expect(splitSentences('"As they go back, others move. "When people cross, they step on mines." The ICRC helps.')).toEqual([
      '"As they go back, others move.',
      '"When people cross, they step on mines."',
      'The ICRC helps.',
    ]);
  });

  it('treats each bullet line as its own sentence', () => {
    expect(splitSentences('Highlights:\n- Spending up to 71.56bn rupees ($1.6bn)\n- Duty cuts on goods')).toEqual([
      'Highlights:',
      '- Spending up to 71.56bn rupees ($1.6bn)',
      '- Duty cuts on goods',
    ]);
  });

  it('returns spans that are trimmed, ordered and inside the text, for any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        let previousEnd = 0;
        for (const span of sentenceSpans(text)) {
          expect(span.start).toBeGreaterThanOrEqual(previousEnd);
          expect(span.end).toBeGreaterThan(span.start);
          expect(span.end).toBeLessThanOrEqual(text.length);
          const sentence = text.slice(span.start, span.end);
          expect(sentence).toBe(sentence.trim());
          previousEnd = span.end;
        }
      }),
    );
  });

  it('loses no words: the sentences hold every non-space character of the text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Mr.', 'Smith', 'said', 'U.S.', '2.5%', 'Yes!', 'Why?', '"Go.', 'now."', '...', 'It', 'ends.'), {
          maxLength: 30,
        }),
        (words) => {
          const text = words.join(' ');
          expect(splitSentences(text).join('').replace(/\s/gu, '')).toBe(text.replace(/\s/gu, ''));
        },
      ),
    );
  });
});
