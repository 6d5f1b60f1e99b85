/**
 * Modifiers before a number ("more than", "about", "aged"), and when "over" is no modifier.
 */
import { MODIFIERS_BY_FIRST, PREPOSITION_VERB_STEMS, type Modifier } from './lexicon.ts';
import type { Scan } from './scan.ts';
import { stemmer } from 'stemmer';

/** A modifier at token i ("more than", "about", "aged"), or null. */
export function matchModifier(s: Scan, i: number): Modifier | null {
  const t = s.tok(i);
  if (t?.type !== 'word') return null;
  const options = MODIFIERS_BY_FIRST.get(t.lower);
  if (options === undefined) return null;
  for (const [words, strength] of options) {
    let ok = true;
    for (let n = 1; n < words.length && ok; n++) ok = s.spaced(i + n) && s.wordAt(i + n) === words[n];
    if (ok && s.spaced(i + words.length)) return words.length === 1 && prepositionAfterVerb(s, i) ? null : { len: words.length, strength };
  }
  return null;
}

/**
 * "slotted over four penalties", "clashed over two issues": after these verbs "over" and "under"
 * say where or about what, not "more than"; the number after them is what was moved or argued over.
 */
export function prepositionAfterVerb(s: Scan, i: number): boolean {
  const word = s.wordAt(i);
  if (word !== 'over' && word !== 'under') return false;
  const verb = s.wordAt(i - 1);
  return verb !== undefined && s.spaced(i) && PREPOSITION_VERB_STEMS.has(stemmer(verb));
}
