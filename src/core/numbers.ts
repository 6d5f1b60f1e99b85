/**
 * Numerals and English number words. Everything here works on plain strings or on lists of
 * lower-case words, so figure extraction can stay a thin layer over a tokenizer.
 */

/** The result of reading number words from the front of a word list. */
export interface WordNumber {
  readonly value: number;
  /** How many words of the input were used. */
  readonly length: number;
  /**
   * True for vague plurals such as "dozens" or "thousands", whose value is a convention
   * (twice the unit) rather than something the text states.
   */
  readonly vague: boolean;
}

const UNITS: ReadonlyMap<string, number> = new Map([
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
]);

const TEENS: ReadonlyMap<string, number> = new Map([
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['thirteen', 13],
  ['fourteen', 14],
  ['fifteen', 15],
  ['sixteen', 16],
  ['seventeen', 17],
  ['eighteen', 18],
  ['nineteen', 19],
]);

const TENS: ReadonlyMap<string, number> = new Map([
  ['twenty', 20],
  ['thirty', 30],
  ['forty', 40],
  ['fifty', 50],
  ['sixty', 60],
  ['seventy', 70],
  ['eighty', 80],
  ['ninety', 90],
]);

/** Words that multiply what comes before them: "five million", "a thousand". */
export const SCALE_WORDS: ReadonlyMap<string, number> = new Map([
  ['thousand', 1e3],
  ['million', 1e6],
  ['billion', 1e9],
  ['trillion', 1e12],
]);

/** Abbreviated multipliers written straight after a numeral: "£600m", "$1.13bn", "5k". */
export const MULTIPLIER_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['k', 1e3],
  ['m', 1e6],
  ['mn', 1e6],
  ['bn', 1e9],
  ['tn', 1e12],
  ['trn', 1e12],
]);

/**
 * Vague plurals ("hundreds of people"). Their value is twice the unit: the least the plural
 * can mean, and a predictable number to sort and compare by.
 */
const VAGUE_PLURALS: ReadonlyMap<string, number> = new Map([
  ['dozens', 24],
  ['scores', 40],
  ['hundreds', 200],
  ['thousands', 2e3],
  ['millions', 2e6],
  ['billions', 2e9],
]);

const DENOMINATORS: ReadonlyMap<string, number> = new Map([
  ['half', 2],
  ['halves', 2],
  ['third', 3],
  ['thirds', 3],
  ['quarter', 4],
  ['quarters', 4],
  ['fifth', 5],
  ['fifths', 5],
  ['sixth', 6],
  ['sixths', 6],
  ['eighth', 8],
  ['eighths', 8],
  ['tenth', 10],
  ['tenths', 10],
]);

const NUMERAL = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/**
 * Parses a numeral as written in prose: "7,000", "1.13", "2016". Returns null for anything
 * else, including badly grouped thousands ("1,00") that are more likely lists than numbers.
 */
export function parseNumeral(text: string): number | null {
  if (!NUMERAL.test(text)) return null;
  const value = Number(text.replaceAll(',', ''));
  return Number.isFinite(value) ? value : null;
}

/** Every word that {@link isNumberWord} accepts. */
export const NUMBER_WORDS: readonly string[] = [
  ...UNITS.keys(),
  ...TEENS.keys(),
  ...TENS.keys(),
  'hundred',
  ...SCALE_WORDS.keys(),
  'dozen',
  ...VAGUE_PLURALS.keys(),
];

/** True when the word can start or continue a spelled-out number. */
export function isNumberWord(word: string): boolean {
  return (
    UNITS.has(word) ||
    TEENS.has(word) ||
    TENS.has(word) ||
    word === 'hundred' ||
    SCALE_WORDS.has(word) ||
    word === 'dozen' ||
    VAGUE_PLURALS.has(word)
  );
}

/** The value of a single small number word ("one" to "ninety"), or null. */
export function smallNumberWord(word: string): number | null {
  return UNITS.get(word) ?? TEENS.get(word) ?? TENS.get(word) ?? null;
}

type Last = 'none' | 'unit' | 'teen' | 'tens' | 'hundred' | 'scale' | 'one';

/**
 * Reads the longest spelled-out number at the front of `words` (lower case, hyphens already
 * split off): "twenty five million", "half a million", "a dozen", "two and a half",
 * "tens of thousands". Returns null when the words do not start a number.
 */
export function parseNumberWords(words: readonly string[]): WordNumber | null {
  const w0 = words[0];
  if (w0 === undefined) return null;
  const special = parseSpecial(words);
  if (special !== null) return special;

  let total = 0;
  let current = 0;
  let last: Last = 'none';
  let used = 0;
  let lastScale = Infinity;
  let i = 0;
  if ((w0 === 'a' || w0 === 'an') && isMultiplierWord(words[1])) {
    current = 1;
    last = 'one';
    i = 1;
  }
  for (; i < words.length; i++) {
    const w = words[i] ?? '';
    const unit = UNITS.get(w);
    const teen = TEENS.get(w);
    const tens = TENS.get(w);
    const scale = SCALE_WORDS.get(w);
    if (unit !== undefined) {
      if (!(last === 'none' || last === 'hundred' || last === 'scale' || (last === 'tens' && current % 10 === 0))) break;
      current += unit;
      last = 'unit';
    } else if (teen !== undefined || tens !== undefined) {
      if (!(last === 'none' || last === 'hundred' || last === 'scale')) break;
      current += teen ?? tens ?? 0;
      last = teen !== undefined ? 'teen' : 'tens';
    } else if (w === 'hundred') {
      if (!(last === 'unit' || last === 'teen' || last === 'one') || current >= 100) break;
      current *= 100;
      last = 'hundred';
    } else if (scale !== undefined) {
      if (last === 'none' || last === 'scale' || scale >= lastScale) break;
      total += current * scale;
      current = 0;
      lastScale = scale;
      last = 'scale';
    } else if (w === 'dozen') {
      if (!(last === 'unit' || last === 'one')) break;
      current *= 12;
      used = i + 1;
      break;
    } else if (w === 'and') {
      const next = words[i + 1] ?? '';
      if (next === 'a' && words[i + 2] === 'half' && (last === 'unit' || last === 'teen' || last === 'tens')) {
        current += 0.5;
        i += 2;
        used = i + 1;
        last = 'unit';
        // "two and a half" may still take a scale: "two and a half million".
        continue;
      }
      if (!((last === 'hundred' || last === 'scale') && smallNumberWord(next) !== null)) break;
      continue;
    } else {
      break;
    }
    used = i + 1;
  }
  if (used === 0) return null;
  const value = total + current;
  if (value <= 0 || !Number.isFinite(value)) return null;
  return { value, length: used, vague: false };
}

/** True for words that multiply the number before them: "hundred", "dozen", "million"… */
export function isMultiplierWord(word: string | undefined): boolean {
  return word !== undefined && (word === 'hundred' || word === 'dozen' || SCALE_WORDS.has(word));
}

/** Forms that the left-to-right accumulator cannot express. */
function parseSpecial(words: readonly string[]): WordNumber | null {
  const [w0, w1, w2, w3, w4] = words;
  if (w0 === 'half' && (w1 === 'a' || w1 === 'an')) {
    const scale = w2 === 'dozen' ? 12 : w2 === 'hundred' ? 100 : SCALE_WORDS.get(w2 ?? '');
    if (scale !== undefined) return { value: scale / 2, length: 3, vague: false };
    // Bare "half a(n)": only meaningful before a unit ("half an hour"), which the caller checks.
    return { value: 0.5, length: 2, vague: false };
  }
  if ((w0 === 'a' || w0 === 'one') && w1 === 'quarter' && w2 === 'of' && w3 === 'a') {
    const scale = SCALE_WORDS.get(w4 ?? '');
    if (scale !== undefined) return { value: scale / 4, length: 5, vague: false };
  }
  const vague = VAGUE_PLURALS.get(w0 ?? '');
  if (vague !== undefined) {
    // "hundreds of thousands", "tens of millions": the plural multiplies the scale after "of".
    const scale = w1 === 'of' ? VAGUE_PLURALS.get(w2 ?? '') : undefined;
    if (scale !== undefined && (w0 === 'hundreds' || w0 === 'dozens') && scale >= 2e3) {
      return { value: (vague / 2) * scale, length: 3, vague: true };
    }
    return { value: vague, length: 1, vague: true };
  }
  if (w0 === 'tens' && w1 === 'of') {
    const scale = VAGUE_PLURALS.get(w2 ?? '');
    if (scale !== undefined && scale >= 2e3) return { value: 10 * scale, length: 3, vague: true };
  }
  return null;
}

/** A fraction read from words: "half", "a third", "two-thirds", "three quarters". */
export interface WordFraction {
  readonly value: number;
  readonly length: number;
}

/**
 * Reads a spelled-out fraction at the front of `words` ("half", "a quarter", "two thirds").
 * Ordinals on their own ("third") are not fractions: they need "a", "one" or a numerator.
 */
export function parseFractionWords(words: readonly string[]): WordFraction | null {
  const [w0, w1] = words;
  if (w0 === undefined) return null;
  if (w0 === 'half') return { value: 0.5, length: 1 };
  const numerator = w0 === 'a' ? 1 : UNITS.get(w0);
  const denominator = DENOMINATORS.get(w1 ?? '');
  if (numerator === undefined || denominator === undefined) return null;
  const plural = (w1 ?? '').endsWith('s');
  // "two third" or "one thirds" are not English; refusing them avoids odd matches.
  if ((numerator === 1) === plural) return null;
  if (numerator >= denominator) return null;
  return { value: numerator / denominator, length: 2 };
}
