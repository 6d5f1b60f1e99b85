/**
 * A scan over one text: its tokens, how they join (glued, spaced, hyphenated), and the candidate
 * figures the matchers return.
 */
import type { FigureKind } from '../types.ts';
import { CODE_SYMBOLS, CURRENCY_SIGNS, HYPHENS, SENTENCE_BREAKS, YEAR_PREFIXES } from './lexicon.ts';
import { tokenize, type Token } from './tokens.ts';

/** A figure found by a matcher, in token indexes, before it becomes a `FigureMatch`. */
export interface Candidate {
  readonly startTok: number;
  /** Exclusive. */
  readonly endTok: number;
  readonly value: number;
  readonly unit: string | null;
  readonly kind: FigureKind;
  readonly currency?: string;
  /** Its number is a vague plural ("millions of tonnes"): the figure has no exact value. */
  readonly vague?: true;
}

/** Makes a candidate, leaving out the currency when there is none. */
export function candidate(
  startTok: number,
  endTok: number,
  value: number,
  unit: string | null,
  kind: FigureKind,
  currency?: string,
): Candidate {
  return currency === undefined ? { startTok, endTok, value, unit, kind } : { startTok, endTok, value, unit, kind, currency };
}

/** A date candidate valued yyyymmdd, with unknown parts 0. */
export function dateCandidate(startTok: number, endTok: number, y: number, m: number, d: number): Candidate {
  return { startTok, endTok, value: y * 10000 + m * 100 + d, unit: null, kind: 'date' };
}

/** The tokens of one text and the state of the scan over them; the matchers read it through its helpers. */
export class Scan {
  readonly source: string;
  readonly toks: readonly Token[];
  inConversion = false;
  /** Token index after the last figure found, so a matcher can tell what a figure follows. */
  lastFigureEnd = -1;

  constructor(source: string) {
    this.source = source;
    this.toks = tokenize(source);
  }

  tok(i: number): Token | undefined {
    return this.toks[i];
  }

  /** True when token i starts exactly where token i-1 ends. */
  glued(i: number): boolean {
    const a = this.toks[i - 1];
    const b = this.toks[i];
    return a?.end === b?.start && a !== undefined;
  }

  /** True when tokens i-1 and i are separated by plain spaces on one line. */
  spaced(i: number): boolean {
    const a = this.toks[i - 1];
    const b = this.toks[i];
    if (a === undefined || b === undefined || a.end === b.start) return false;
    for (let k = a.end; k < b.start; k++) {
      const ch = this.source.charCodeAt(k);
      if (ch === 10 || ch === 13) return false;
    }
    return true;
  }

  wordAt(i: number): string | undefined {
    const t = this.toks[i];
    return t?.type === 'word' ? t.lower : undefined;
  }

  symAt(i: number, sym: string): boolean {
    const t = this.toks[i];
    return t?.type === 'sym' && t.text === sym;
  }

  hyphenAt(i: number): boolean {
    const t = this.toks[i];
    return t?.type === 'sym' && HYPHENS.has(t.text);
  }

  /** Token i is a word or numeral that follows i-1 with a space or a glued hyphen. */
  nextWordIndex(i: number): number | null {
    if (this.spaced(i)) return i;
    if (this.hyphenAt(i) && this.glued(i) && this.glued(i + 1) && this.tok(i + 1)?.type === 'word') return i + 1;
    return null;
  }

  atSentenceStart(i: number): boolean {
    const prev = this.tok(i - 1);
    if (prev === undefined) return true;
    if (prev.type === 'sym' && SENTENCE_BREAKS.has(prev.text)) return true;
    return !this.spaced(i) && !this.glued(i);
  }

  /**
   * Words from token i on, joined by spaces or glued hyphens ("twenty-five"), as lower case,
   * with the token index of each.
   */
  wordRun(i: number, max: number): { words: string[]; idx: number[] } {
    const words: string[] = [];
    const idx: number[] = [];
    let k = i;
    while (words.length < max) {
      const t = this.tok(k);
      if (t?.type !== 'word') break;
      words.push(t.lower);
      idx.push(k);
      const next = this.nextWordIndex(k + 1);
      if (next === null) break;
      k = next;
    }
    return { words, idx };
  }

  atLineStart(i: number): boolean {
    const prev = this.tok(i - 1);
    const t = this.tok(i);
    if (t === undefined) return false;
    if (prev === undefined) return true;
    const gap = this.source.slice(prev.end, t.start);
    return gap.includes('\n');
  }

  /** True when numeral i is glued to something before it that makes it part of a code ("MP3", "9/11"). */
  gluedBefore(i: number): boolean {
    if (!this.glued(i)) return false;
    const prev = this.tok(i - 1);
    if (prev === undefined) return false;
    if (prev.type !== 'sym') return true;
    if (CURRENCY_SIGNS.has(prev.text)) return false;
    if (HYPHENS.has(prev.text)) {
      // "mid-2005" is fine; "G-8" or "1-2" is not.
      if (!this.glued(i - 1)) return false;
      const w = this.wordAt(i - 2);
      return !(w !== undefined && YEAR_PREFIXES.has(w));
    }
    // "9/11", "10:30", "1.2.3", "#1": glued to a code-like symbol. A comma only counts when it
    // is glued on both sides ("1,00"), since "(£600m,500 jobs" is just missing a space.
    if (prev.text === ',' || prev.text === '.') return this.glued(i - 1) && this.tok(i - 2)?.type === 'num';
    return CODE_SYMBOLS.has(prev.text);
  }
}
