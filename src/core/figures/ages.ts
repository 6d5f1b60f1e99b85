/**
 * Ages: "44-year-old", "Jeffrey Royer, 41,", "Rooney, at 16,", "when she was 15".
 */
import { NOT_NOUNS } from '../word-lists.ts';
import type { Head } from './amounts.ts';
import { MONTHS, PERSON_SUBJECTS } from './lexicon.ts';
import type { Scan } from './scan.ts';
import { isCapitalised } from './tokens.ts';
import type { UnitMatch } from './units.ts';

/** "44-year-old", "44 years old", "18-24 year olds", "44 years of age": returns the end. */
export function ageSuffix(s: Scan, unit: UnitMatch): number | null {
  const unitEnd = unit.end;
  if (unit.unit !== 'years') return null;
  const hyphenated = s.hyphenAt(unitEnd) && s.glued(unitEnd) && s.glued(unitEnd + 1);
  const oldIdx = hyphenated ? unitEnd + 1 : s.spaced(unitEnd) ? unitEnd : -1;
  const old = s.wordAt(oldIdx);
  if (old === 'old' || old === 'olds' || old === "old's" || old === 'old’s') return oldIdx + 1;
  if (s.wordAt(unitEnd) === 'of' && s.spaced(unitEnd + 1) && s.wordAt(unitEnd + 1) === 'age') return unitEnd + 2;
  return null;
}

/** "Name, 41," — a small number set off by commas straight after a capitalised name. */
export function nameAge(s: Scan, i: number): boolean {
  const t = s.tok(i);
  if (t === undefined || t.text.length > 3) return false;
  const v = Number(t.text);
  if (v < 1 || v > 115) return false;
  if (!s.symAt(i - 1, ',') || !s.glued(i - 1) || !s.spaced(i)) return false;
  const name = s.tok(i - 2);
  if (name?.type !== 'word' || !isCapitalised(name.text) || MONTHS.has(name.text) || NOT_NOUNS.has(name.lower)) return false;
  const after = s.tok(i + 1);
  return after?.type === 'sym' && s.glued(i + 1) && [',', '.', ';', ')'].includes(after.text);
}

/** "he was 15", "she was only 15.": a bare number after a person's "was" or "is", closing the clause. */
export function personWas(s: Scan, h: Head): boolean {
  if (h.mod !== null && h.mod.strength !== 'weak') return false;
  const at = h.mod === null ? h.coreStart : h.start;
  const t = s.tok(h.numStart);
  const v = Number(t?.text);
  if (t === undefined || t.text.length > 3 || v < 1 || v > 115 || !s.spaced(at)) return false;
  const verb = s.wordAt(at - 1);
  if ((verb !== 'was' && verb !== 'is') || !s.spaced(at - 1) || !PERSON_SUBJECTS.has(s.wordAt(at - 2) ?? '')) return false;
  const after = s.tok(h.core.end);
  return after === undefined || (after.type === 'sym' && after.text !== '%' && after.text !== '-' && after.text !== '–');
}

/**
 * "Rooney, at 16, became…", "At 16, he left school": "at" and a bare number set off by commas
 * after a name or opening the sentence give an age.
 */
export function atAge(s: Scan, i: number): boolean {
  const t = s.tok(i);
  if (t === undefined || t.text.length > 3 || s.wordAt(i - 1) !== 'at' || !s.spaced(i)) return false;
  const v = Number(t.text);
  if (v < 1 || v > 115 || !s.symAt(i + 1, ',') || !s.glued(i + 1)) return false;
  if (s.atSentenceStart(i - 1)) return true;
  const name = s.tok(i - 3);
  return s.symAt(i - 2, ',') && s.glued(i - 2) && s.spaced(i - 1) && name?.type === 'word' && isCapitalised(name.text);
}
