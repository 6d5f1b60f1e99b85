/**
 * Figure extraction: finds the numbers in news prose together with what they measure.
 *
 * The text is split into tokens (numerals, words, single symbols) and a handful of small
 * matchers are tried at each token, in order: dates, "one in five" ratios, fractions ("half of
 * …"), then the main number-plus-unit matcher. The first match wins and scanning resumes after
 * it, so figures come out sorted and never overlap. Most words cannot open a figure and are
 * skipped after one set lookup, which keeps the whole BBC corpus (5 MB) well under a second.
 *
 * Value conventions:
 * - money is in the major unit of its currency ("50p" is 0.5 GBP) and `unit` is the ISO code;
 * - a date is yyyymmdd with unknown parts as 0: "in May" is 500, "12 January 2005" is 20050112;
 *   a lone month needs a cue word ("in", "since", "last", "mid-"…), which is kept in the text;
 * - a score ("7-5 6-4") is valued at its first number; a range ("25 to 30 seats") at its first;
 * - a vague plural ("dozens of people", "millions of tonnes") states no number, so its value is null;
 * - fractions and "one in five" ratios are quantities between 0 and 1;
 * - a decade ("the 1990s") or a season ("2003-04") is a year valued at its first year;
 * - ages and durations are in the unit written ("aged 44" is 44 years, "48 hours" is 48 hours).
 */
import type { FigureKind, FigureMatch } from './types.ts';
import {
  MULTIPLIER_SUFFIXES,
  SCALE_WORDS,
  NUMBER_WORDS,
  isMultiplierWord,
  parseFractionWords,
  parseNumberWords,
  parseNumeral,
  smallNumberWord,
} from './numbers.ts';
import { DETERMINERS, MONTH_NAMES, NOT_NOUNS, OBJECT_PRONOUNS } from './word-lists.ts';
import { stemmer } from 'stemmer';

type TokenType = 'num' | 'word' | 'sym';

interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly lower: string;
  readonly start: number;
  readonly end: number;
}

interface Candidate {
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

interface NumberCore {
  readonly value: number;
  /** Exclusive token index after the number and any multiplier. */
  readonly end: number;
  readonly numeral: boolean;
  /** A bare four-digit integer in 1800–2099, which may be a year. */
  readonly yearLike: boolean;
  readonly integer: boolean;
  /** Written with a multiplier ("5m", "5 million", "a million"). */
  readonly scaled: boolean;
  /** The multiplier applied to a numeral (1 when there is none). */
  readonly multiplier: number;
  /** "5m" with no currency: million or metres, decided later. */
  readonly gluedM: boolean;
  readonly vague: boolean;
  /** The bare word "one", which takes no plural noun and is often an idiom ("one day"). */
  readonly isOne: boolean;
}

/** What precedes the unit: modifier, currency sign and number. */
interface Head {
  /** First token of the match, modifier included. */
  readonly start: number;
  readonly mod: Modifier | null;
  /** First token after the modifier. */
  readonly coreStart: number;
  readonly numStart: number;
  readonly numeral: Token;
  readonly prefix: { readonly code: string; readonly len: number } | null;
  readonly core: NumberCore;
}

interface Range {
  readonly kind: 'hyphen' | 'word' | null;
  readonly hi: number | null;
  /** Exclusive token index after the range (or after the number when there is none). */
  readonly end: number;
  readonly value: number;
}

interface UnitMatch {
  readonly unit: string;
  readonly kind: 'quantity' | 'duration';
  readonly end: number;
}

/**
 * How a modifier binds. "strong" ones ("more than") make a bare four-digit number a count; "weak"
 * ones ("over", "about") are dropped before a year; "between" needs an "and"; "age" makes an age.
 */
type Strength = 'strong' | 'weak' | 'between' | 'age';

interface Modifier {
  readonly len: number;
  readonly strength: Strength;
}

// ---------------------------------------------------------------------------------------------
// Tables

/**
 * Verbs after which "over" or "under" is a preposition of place or topic rather than "more/less
 * than": a ball slotted over the bar, a row over money, costs spread over years. Compared by stem,
 * so every form of each verb counts ("slotted", "slots", "slotting").
 */
const PREPOSITION_VERBS: readonly string[] = [
  // Moving a ball or a thing across something.
  'kick',
  'slot',
  'knock',
  'chip',
  'lob',
  'loft',
  'curl',
  'flick',
  'bundle',
  'scramble',
  'stroke',
  'sweep',
  'hoist',
  'hand',
  'tip',
  // Arguing about something.
  'argue',
  'clash',
  'row',
  'split',
  'divide',
  'dispute',
  'fight',
  'fought',
  'quarrel',
  'worry',
  'wrangle',
  // Covering a span.
  'spread',
  'stretch',
  'preside',
];
const PREPOSITION_VERB_STEMS: ReadonlySet<string> = new Set(PREPOSITION_VERBS.map((verb) => stemmer(verb)));

/** Pronouns that stand for one person: "she was 15" gives her age. */
const PERSON_SUBJECTS: ReadonlySet<string> = new Set(['i', 'he', 'she']);

/** Modifiers that belong to a figure and are kept in its text. */
const MODIFIERS: readonly (readonly [string, Strength])[] = [
  ['more than', 'strong'],
  ['less than', 'strong'],
  ['fewer than', 'strong'],
  ['no more than', 'strong'],
  ['no less than', 'strong'],
  ['no fewer than', 'strong'],
  ['at least', 'weak'],
  ['at most', 'weak'],
  ['as many as', 'strong'],
  ['as much as', 'strong'],
  ['as little as', 'strong'],
  ['as few as', 'strong'],
  // "about" and "around" are also prepositions ("optimistic about 2005"), so they stay weak.
  ['some', 'strong'],
  ['about', 'weak'],
  ['around', 'weak'],
  ['almost', 'strong'],
  ['nearly', 'strong'],
  ['roughly', 'strong'],
  ['approximately', 'strong'],
  ['an estimated', 'strong'],
  ['estimated', 'strong'],
  ['close to', 'strong'],
  ['well over', 'strong'],
  ['well under', 'strong'],
  ['just over', 'strong'],
  ['just under', 'strong'],
  ['upwards of', 'strong'],
  ['in excess of', 'strong'],
  ['over', 'weak'],
  ['under', 'weak'],
  ['up to', 'weak'],
  ['only', 'weak'],
  ['just', 'weak'],
  ['between', 'between'],
  ['aged', 'age'],
  ['age of', 'age'],
  ['age', 'age'],
];

const MODIFIERS_BY_FIRST: ReadonlyMap<string, readonly (readonly [readonly string[], Strength])[]> = (() => {
  const map = new Map<string, (readonly [readonly string[], Strength])[]>();
  for (const [phrase, strength] of MODIFIERS) {
    const words = phrase.split(' ');
    const first = words[0] ?? '';
    const list = map.get(first) ?? [];
    list.push([words, strength]);
    list.sort((a, b) => b[0].length - a[0].length);
    map.set(first, list);
  }
  return map;
})();

const CURRENCY_SIGNS: ReadonlyMap<string, string> = new Map([
  ['£', 'GBP'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['¥', 'JPY'],
]);

/** Letters written straight before "$": "US$5bn", "HK$3m". */
const DOLLAR_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['US', 'USD'],
  ['A', 'AUD'],
  ['AU', 'AUD'],
  ['C', 'CAD'],
  ['CA', 'CAD'],
  ['HK', 'HKD'],
  ['NZ', 'NZD'],
  ['S', 'SGD'],
]);

/** Currency words after a number; `minor` ones are hundredths of the major unit. */
const CURRENCY_WORDS: ReadonlyMap<string, { readonly code: string; readonly minor?: true }> = new Map([
  ['dollars', { code: 'USD' }],
  ['dollar', { code: 'USD' }],
  ['us dollars', { code: 'USD' }],
  ['australian dollars', { code: 'AUD' }],
  ['canadian dollars', { code: 'CAD' }],
  ['hong kong dollars', { code: 'HKD' }],
  ['pounds', { code: 'GBP' }],
  ['pound', { code: 'GBP' }],
  ['sterling', { code: 'GBP' }],
  ['euros', { code: 'EUR' }],
  ['euro', { code: 'EUR' }],
  ['yen', { code: 'JPY' }],
  ['yuan', { code: 'CNY' }],
  ['renminbi', { code: 'CNY' }],
  ['rupees', { code: 'INR' }],
  ['roubles', { code: 'RUB' }],
  ['rubles', { code: 'RUB' }],
  // CFA francs are written without saying which zone; XAF (central Africa) is a guess.
  ['francs', { code: 'CHF' }],
  ['swiss francs', { code: 'CHF' }],
  ['cfa francs', { code: 'XAF' }],
  ['rand', { code: 'ZAR' }],
  ['naira', { code: 'NGN' }],
  ['rupiah', { code: 'IDR' }],
  ['ringgit', { code: 'MYR' }],
  ['baht', { code: 'THB' }],
  ['kronor', { code: 'SEK' }],
  ['krona', { code: 'SEK' }],
  ['riyals', { code: 'SAR' }],
  ['shekels', { code: 'ILS' }],
  ['zlotys', { code: 'PLN' }],
  ['zloty', { code: 'PLN' }],
  ['reais', { code: 'BRL' }],
  ['pence', { code: 'GBP', minor: true }],
  ['cents', { code: 'USD', minor: true }],
]);

const TIME_UNITS: ReadonlyMap<string, string> = new Map([
  ['second', 'seconds'],
  ['seconds', 'seconds'],
  ['minute', 'minutes'],
  ['minutes', 'minutes'],
  ['hour', 'hours'],
  ['hours', 'hours'],
  ['day', 'days'],
  ['days', 'days'],
  ['night', 'nights'],
  ['nights', 'nights'],
  ['week', 'weeks'],
  ['weeks', 'weeks'],
  ['fortnight', 'fortnights'],
  ['fortnights', 'fortnights'],
  ['month', 'months'],
  ['months', 'months'],
  ['year', 'years'],
  ['years', 'years'],
  ['decade', 'decades'],
  ['decades', 'decades'],
  ['century', 'centuries'],
  ['centuries', 'centuries'],
  // Only the plural: "three-quarter" is a rugby position or a fraction, not a span of time.
  ['quarters', 'quarters'],
]);

/** Units of measure written as words, matched case-insensitively. */
const WORD_UNITS: ReadonlyMap<string, string> = new Map([
  ['kilometre', 'km'],
  ['kilometres', 'km'],
  ['kilometer', 'km'],
  ['kilometers', 'km'],
  ['mile', 'miles'],
  ['miles', 'miles'],
  ['metre', 'm'],
  ['metres', 'm'],
  ['meter', 'm'],
  ['meters', 'm'],
  ['centimetre', 'cm'],
  ['centimetres', 'cm'],
  ['millimetre', 'mm'],
  ['millimetres', 'mm'],
  ['foot', 'feet'],
  ['feet', 'feet'],
  ['inch', 'inches'],
  ['inches', 'inches'],
  ['yard', 'yards'],
  ['yards', 'yards'],
  ['tonne', 'tonnes'],
  ['tonnes', 'tonnes'],
  ['ton', 'tonnes'],
  ['tons', 'tonnes'],
  ['kilo', 'kg'],
  ['kilos', 'kg'],
  ['kilogram', 'kg'],
  ['kilograms', 'kg'],
  ['kilogramme', 'kg'],
  ['kilogrammes', 'kg'],
  ['gram', 'g'],
  ['grams', 'g'],
  ['ounce', 'oz'],
  ['ounces', 'oz'],
  ['stone', 'stone'],
  ['barrel', 'barrels'],
  ['barrels', 'barrels'],
  ['litre', 'litres'],
  ['litres', 'litres'],
  ['liter', 'litres'],
  ['liters', 'litres'],
  ['gallon', 'gallons'],
  ['gallons', 'gallons'],
  ['acre', 'acres'],
  ['acres', 'acres'],
  ['hectare', 'hectares'],
  ['hectares', 'hectares'],
  ['knots', 'knots'],
  ['degree', 'degrees'],
  ['degrees', 'degrees'],
  ['megawatt', 'MW'],
  ['megawatts', 'MW'],
  ['gigawatt', 'GW'],
  ['gigawatts', 'GW'],
  ['kilowatt', 'kW'],
  ['kilowatts', 'kW'],
  ['watt', 'W'],
  ['watts', 'W'],
  ['megabyte', 'MB'],
  ['megabytes', 'MB'],
  ['gigabyte', 'GB'],
  ['gigabytes', 'GB'],
  ['terabyte', 'TB'],
  ['terabytes', 'TB'],
  ['megapixel', 'megapixels'],
  ['megapixels', 'megapixels'],
  ['calories', 'calories'],
  ['bit', 'bit'],
  ['basis', 'basis points'],
]);

/** Abbreviated units, matched case-sensitively because "MB" and "mb" differ. */
const ABBREVIATED_UNITS: ReadonlyMap<string, string> = new Map([
  ['km', 'km'],
  ['kms', 'km'],
  ['cm', 'cm'],
  ['mm', 'mm'],
  ['ft', 'feet'],
  ['kg', 'kg'],
  ['lb', 'lb'],
  ['lbs', 'lb'],
  ['oz', 'oz'],
  ['mph', 'mph'],
  ['kph', 'km/h'],
  ['mpg', 'mpg'],
  ['bpd', 'barrels a day'],
  ['MW', 'MW'],
  ['GW', 'GW'],
  ['kW', 'kW'],
  ['kWh', 'kWh'],
  ['GWh', 'GWh'],
  ['TWh', 'TWh'],
  ['KB', 'KB'],
  ['MB', 'MB'],
  ['GB', 'GB'],
  ['TB', 'TB'],
  ['Kb', 'Kb'],
  ['Mb', 'Mb'],
  ['Gb', 'Gb'],
  ['kbps', 'kbps'],
  ['Kbps', 'kbps'],
  ['Mbps', 'Mbps'],
  ['Gbps', 'Gbps'],
  ['MHz', 'MHz'],
  ['GHz', 'GHz'],
  ['cc', 'cc'],
]);

/** Units written only straight after a numeral: "5C" is a temperature, "5 C" is not. */
const GLUED_ONLY_UNITS: ReadonlyMap<string, string> = new Map([
  ['C', '°C'],
  ['F', '°F'],
]);

/** Suffixes glued to a numeral that make it something other than a figure ("2nd", "3G", "9pm"). */
const REFUSING_SUFFIXES: ReadonlySet<string> = new Set(['st', 'nd', 'rd', 'th', 'am', 'pm']);

/** Distances run, swum or raced in metres: "the 400m", "60m hurdles". */
const METRE_EVENTS: ReadonlySet<number> = new Set([50, 60, 100, 110, 200, 400, 800, 1000, 1500, 3000, 5000, 10000]);

/** Words after "Nm" that make it metres rather than millions: "60m hurdles", "a 30m run". */
const METRE_CONTEXT: ReadonlySet<string> = new Set([
  'hurdles',
  'hurdler',
  'race',
  'sprint',
  'freestyle',
  'butterfly',
  'backstroke',
  'breaststroke',
  'medley',
  'relay',
  'final',
  'title',
  'gold',
  'silver',
  'bronze',
  'record',
  'champion',
  'run',
  'tall',
  'high',
  'long',
  'deep',
  'wide',
  'away',
  'below',
  'above',
  'line',
]);

const MONTHS: ReadonlyMap<string, number> = new Map(MONTH_NAMES.map((name, i) => [name, i + 1]));

/** Abbreviations are names too often ("Jan", "Mar") to stand without a day number. */
const MONTH_ABBREVIATIONS: ReadonlyMap<string, number> = new Map([
  ['Jan', 1],
  ['Feb', 2],
  ['Mar', 3],
  ['Apr', 4],
  ['Jun', 6],
  ['Jul', 7],
  ['Aug', 8],
  ['Sep', 9],
  ['Sept', 9],
  ['Oct', 10],
  ['Nov', 11],
  ['Dec', 12],
]);

/** Words that make a lone month name a date: "in May", "since March", "mid-June". */
const MONTH_CUES: ReadonlySet<string> = new Set([
  'in',
  'since',
  'until',
  'till',
  'by',
  'from',
  'last',
  'next',
  'early',
  'late',
  'mid',
  'this',
  'during',
  'before',
  'after',
  'through',
]);

/** Words after which a number is a label, not a quantity: "page 3", "top 10", "No 1". */
const LABEL_WORDS: ReadonlySet<string> = new Set([
  'number',
  'no',
  'page',
  'pages',
  'top',
  'section',
  'article',
  'chapter',
  'clause',
  'flight',
  'route',
  'junction',
  'platform',
  'room',
  'version',
  'level',
  'stage',
  'round',
  'group',
  'division',
  'tier',
  'category',
  'grade',
  'channel',
  'radio',
  'episode',
  'series',
  'day',
  'game',
  'race',
  'match',
  'hole',
  'lap',
  'question',
  'figure',
  'table',
  'rule',
  'phase',
  'part',
  'act',
  'scene',
  'volume',
  'issue',
  'model',
  'type',
  'world',
  'windows',
  'formula',
  'track',
  'seed',
  'seeded',
  'ranked',
  'box',
  'studio',
  'live',
  'area',
  'zone',
  'band',
  'size',
  'class',
  'gate',
  'terminal',
  'exit',
  'apollo',
  'mark',
  'paragraph',
  'resolution',
]);

/** Words before a bare number that make it a rank or a round: "the last 16", "the first 10". */
const RANK_WORDS: ReadonlySet<string> = new Set(['last', 'first', 'top', 'bottom', 'final']);

/** Hyphenated prefixes that may sit on a year: "mid-2005", "pre-1990". */
const YEAR_PREFIXES: ReadonlySet<string> = new Set(['mid', 'pre', 'post', 'early', 'late', 'near']);

/** Nouns after a four-digit number that show it is a year ("2003 results"), not a count. */
const YEAR_NOUNS: ReadonlySet<string> = new Set([
  'results',
  'figures',
  'profits',
  'sales',
  'season',
  'seasons',
  'elections',
  'accounts',
  'earnings',
  'levels',
  'games',
  'championships',
  'awards',
  'budgets',
  'prices',
  'numbers',
  'targets',
  'forecasts',
  'estimates',
  'losses',
  'revenues',
  'returns',
  'finals',
  'nominations',
  'rules',
  'plans',
  'ratings',
  'charts',
  'models',
  'rates',
]);

/** Words before a four-digit number that make it a year. */
const YEAR_CONTEXT: ReadonlySet<string> = new Set([
  'in',
  'since',
  'by',
  'from',
  'until',
  'till',
  'to',
  'of',
  'during',
  'before',
  'after',
  'the',
  'its',
  'their',
  'his',
  'her',
  'our',
  'for',
  'between',
  'and',
  'year',
  'early',
  'late',
  'mid',
  'summer',
  'spring',
  'autumn',
  'winter',
  'through',
  'throughout',
  'circa',
  'c',
]);

/** Words before a number that make it a year even before 1800: "in 1185", "since 911". */
const EARLY_YEAR_CUES: ReadonlySet<string> = new Set(['in', 'since', 'until', 'till', 'circa', 'c', 'during', 'ad']);

/** Prepositions that make "the 10th century" a time: "in the 10th century", "by the 16th century". */
const CENTURY_CUES: ReadonlySet<string> = new Set([
  'in',
  'during',
  'since',
  'until',
  'till',
  'by',
  'from',
  'through',
  'throughout',
  'before',
  'after',
]);
const CENTURY_QUALIFIERS: ReadonlySet<string> = new Set(['early', 'mid', 'late']);
/** Parts of a period: "the first half of the 10th century". */
const TIME_SPANS: ReadonlySet<string> = new Set([
  'half',
  'part',
  'quarter',
  'third',
  'end',
  'beginning',
  'start',
  'middle',
  'turn',
  'course',
  'decades',
  'years',
]);

/** Words that follow "a"/"per" to make a rate of a money figure: "$50 a barrel". */
const RATE_WORDS: ReadonlySet<string> = new Set([
  'year',
  'month',
  'week',
  'day',
  'hour',
  'minute',
  'night',
  'barrel',
  'share',
  'head',
  'person',
  'tonne',
  'ton',
  'litre',
  'gallon',
  'ounce',
  'kilo',
  'unit',
  'game',
  'match',
  'season',
  'seat',
  'ticket',
  'copy',
  'pupil',
  'child',
  'household',
]);

const IRREGULAR_PLURALS: ReadonlySet<string> = new Set([
  'people',
  'men',
  'women',
  'children',
  'police',
  'staff',
  'cattle',
  'sheep',
  'fish',
  'personnel',
  'aircraft',
  'teeth',
  'mice',
  'geese',
  'data',
  'crew',
  'youngsters',
  'deer',
  'livestock',
  'offspring',
  'spacecraft',
  'gentlemen',
  'businessmen',
  'policemen',
  'firemen',
  'servicemen',
  'chairmen',
  'fishermen',
  'sportsmen',
  'workmen',
  'kin',
]);

const PLURAL_NAMES: ReadonlySet<string> = new Set([
  'Tories',
  'Jews',
  'Arabs',
  'Kurds',
  'Sikhs',
  'Muslims',
  'Hindus',
  'Scots',
  'Poles',
  'Greeks',
  'Turks',
  'Swedes',
  'Danes',
  'Finns',
  'Czechs',
  'Serbs',
  'Croats',
  'Thais',
  'Tests',
  'Lords',
  'Kenyans',
  'Israelis',
  'Iraqis',
  'Pakistanis',
  'Afghans',
  'Saudis',
  'Somalis',
  'Nepalis',
]);

/** Words that make a following hyphenated pair a name: "the 737-800", "a new 777-200". */
const MODEL_NUMBER_OPENERS: ReadonlySet<string> = new Set([...DETERMINERS, 'new']);

/** Symbols after which a capitalised word starts a sentence. */
const SENTENCE_BREAKS: ReadonlySet<string> = new Set(['.', '!', '?', '"', '“', '”', '‘', '’', "'", '(', ':', ';', '—', '–', '-', '…']);

const HYPHENS: ReadonlySet<string> = new Set(['-', '–']);

/** Symbols that, glued to a numeral, make it part of a code, time or fraction. */
const CODE_SYMBOLS: ReadonlySet<string> = new Set(['/', ':', '#', '+', '^', '@', '&', '*', '_', '=', '\\', '|', '~']);

/** Words that can open a spelled-out number or fraction: "a million", "half of", "tens of". */
const NUMBER_OPENERS: ReadonlySet<string> = new Set([...NUMBER_WORDS, 'a', 'an', 'half', 'tens']);

/** Lower-case words that can open a figure; any other word is skipped without matching. */
const OPENING_WORDS: ReadonlySet<string> = new Set([...MODIFIERS_BY_FIRST.keys(), ...MONTH_CUES, ...NUMBER_OPENERS]);

// ---------------------------------------------------------------------------------------------
// Tokens

const LETTER = /\p{L}/u;

/** JavaScript's `\s`: the separators the tokenizer skips. */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Length of the letter at `i` (2 for an astral letter), or 0 when it is not a letter. */
function letterLength(text: string, i: number): number {
  const cp = text.codePointAt(i);
  if (cp === undefined) return 0;
  if ((cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90)) return 1;
  if (cp < 128) return 0;
  return LETTER.test(String.fromCodePoint(cp)) ? (cp > 0xffff ? 2 : 1) : 0;
}

/** End of a numeral starting at `i`: "7", "7,000", "1.13", "2,225.5". */
function numeralEnd(text: string, i: number): number {
  let j = i;
  while (isDigit(text.charCodeAt(j))) j++;
  // Thousands groups only after one to three leading digits, and only in threes.
  if (j - i <= 3) {
    let k = j;
    while (
      text.charCodeAt(k) === 44 &&
      isDigit(text.charCodeAt(k + 1)) &&
      isDigit(text.charCodeAt(k + 2)) &&
      isDigit(text.charCodeAt(k + 3)) &&
      !isDigit(text.charCodeAt(k + 4))
    )
      k += 4;
    j = k;
  }
  if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
    j++;
    while (isDigit(text.charCodeAt(j))) j++;
  }
  return j;
}

/** End of a word starting at `i`: letters, with inner apostrophes ("Syria's", "Syria’s"). */
function wordEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    const n = letterLength(text, j);
    if (n > 0) {
      j += n;
      continue;
    }
    const c = text.charCodeAt(j);
    if ((c === 39 || c === 0x2019) && letterLength(text, j + 1) > 0) {
      j++;
      continue;
    }
    return j;
  }
}

/**
 * Splits text into numerals, words and single symbols, skipping whitespace. Written by hand
 * rather than with one regex because it runs over every character of every passage, and
 * regex match objects made up most of the garbage.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    let end: number;
    let type: TokenType;
    if (isDigit(c)) {
      end = numeralEnd(text, i);
      type = 'num';
    } else if (letterLength(text, i) > 0) {
      end = wordEnd(text, i);
      type = 'word';
    } else {
      // One symbol, keeping surrogate pairs whole.
      end = i + ((text.codePointAt(i) ?? c) > 0xffff ? 2 : 1);
      type = 'sym';
    }
    const raw = text.slice(i, end);
    tokens.push({ type, text: raw, lower: type === 'word' ? raw.toLowerCase() : raw, start: i, end });
    i = end;
  }
  return tokens;
}

function isCapitalised(word: string): boolean {
  const c = word.charAt(0);
  return c !== c.toLowerCase();
}

function isPossessive(word: string): boolean {
  return word.endsWith("'s") || word.endsWith('’s');
}

function looksPlural(lower: string): boolean {
  if (IRREGULAR_PLURALS.has(lower)) return true;
  return (
    lower.length >= 3 &&
    lower.endsWith('s') &&
    !lower.endsWith('ss') &&
    !lower.endsWith('us') &&
    !lower.endsWith('is') &&
    !isPossessive(lower)
  );
}

/**
 * Capitalised words that end in "s" are often names ("Wales", "Jones", "Athens"); only
 * peoples and groups ("Syrians", "Britons", "MPs") count as plural nouns.
 */
function looksLikePluralName(word: string): boolean {
  return /[a-z](?:ans|ons|ers|ists|ats|ites)$/.test(word) || /^[A-Z]{2,}s$/.test(word) || PLURAL_NAMES.has(word);
}

function candidate(startTok: number, endTok: number, value: number, unit: string | null, kind: FigureKind, currency?: string): Candidate {
  return currency === undefined ? { startTok, endTok, value, unit, kind } : { startTok, endTok, value, unit, kind, currency };
}

function dateCandidate(startTok: number, endTok: number, y: number, m: number, d: number): Candidate {
  return { startTok, endTok, value: y * 10000 + m * 100 + d, unit: null, kind: 'date' };
}

/** A tennis set: 6-x, 7-5, 7-6, or an advantage final set such as 10-8. */
function isTennisSet(x: number, y: number): boolean {
  const high = Math.max(x, y);
  return high >= 6 && (high <= 7 || Math.abs(x - y) === 2);
}

/**
 * Multiplies by a power of ten in decimal, so "$1.13bn" is exactly 1130000000 rather than the
 * binary product 1.13 * 1e9.
 */
function scale(value: number, factor: number): number {
  const exponent = Math.round(Math.log10(factor));
  const text = String(value);
  if (10 ** exponent !== factor || text.includes('e')) return value * factor;
  return Number(`${text}e${exponent}`);
}

/**
 * "1330" or "0900": four digits without a comma that read as a 24-hour time. Prose writes
 * counts of a thousand or more with a comma, so these are nearly always kick-off times.
 */
function looksLikeClockTime(text: string): boolean {
  if (!/^\d{4}$/.test(text)) return false;
  const value = Number(text);
  return !isYearValue(value) && Math.floor(value / 100) <= 23 && value % 100 <= 59;
}

function isYearValue(value: number): boolean {
  return Number.isInteger(value) && value >= 1800 && value <= 2099;
}

// ---------------------------------------------------------------------------------------------
// Scanner

class Scanner {
  private readonly source: string;
  private readonly toks: readonly Token[];
  private inConversion = false;
  /** Token index after the last figure found, so a matcher can tell what a figure follows. */
  private lastFigureEnd = -1;

  constructor(source: string) {
    this.source = source;
    this.toks = tokenize(source);
  }

  run(): FigureMatch[] {
    const out: FigureMatch[] = [];
    let i = 0;
    while (i < this.toks.length) {
      const c = this.matchAt(i);
      if (c !== null && c.endTok > i && Number.isFinite(c.value)) {
        out.push(this.toFigure(c));
        i = c.endTok;
        this.lastFigureEnd = i;
      } else {
        i++;
      }
    }
    return out;
  }

  private toFigure(c: Candidate): FigureMatch {
    const start = this.tok(c.startTok)?.start ?? 0;
    const end = this.tok(c.endTok - 1)?.end ?? start;
    const value = c.vague === true ? null : c.value;
    const base = { text: this.source.slice(start, end), start, end, value, unit: c.unit, kind: c.kind };
    return c.currency === undefined ? base : { ...base, currency: c.currency };
  }

  private matchAt(i: number): Candidate | null {
    const t = this.tok(i);
    if (t === undefined) return null;
    if (t.type === 'word' && !this.mayStartFigure(t)) return null;
    if (t.type === 'sym' && !CURRENCY_SIGNS.has(t.text)) return null;
    // Fractions go before plain numbers so "three quarters of the vote" is not three quarters
    // of a year.
    return (
      this.matchDate(i) ?? this.matchCentury(i) ?? this.withModifier(i, 'ratio') ?? this.withModifier(i, 'fraction') ?? this.matchMain(i)
    );
  }

  /** Ratios and fractions take the same modifiers as numbers: "nearly half of all voters". */
  private withModifier(i: number, which: 'ratio' | 'fraction'): Candidate | null {
    const mod = this.matchModifier(i);
    const j = mod !== null && mod.strength !== 'age' && mod.strength !== 'between' ? i + mod.len : i;
    const c = which === 'ratio' ? this.matchRatio(j) : this.matchFraction(j);
    return c === null || j === i ? c : { ...c, startTok: i };
  }

  /** A cheap filter so most words are skipped without running the matchers. */
  private mayStartFigure(t: Token): boolean {
    if (OPENING_WORDS.has(t.lower)) return true;
    // Months and "US$"-style prefixes are capitalised: test the first letter before hashing.
    const c = t.text.charCodeAt(0);
    return c >= 65 && c <= 90 && (MONTHS.has(t.text) || MONTH_ABBREVIATIONS.has(t.text) || DOLLAR_PREFIXES.has(t.text));
  }

  // --- token helpers ---------------------------------------------------------------------------

  private tok(i: number): Token | undefined {
    return this.toks[i];
  }

  /** True when token i starts exactly where token i-1 ends. */
  private glued(i: number): boolean {
    const a = this.toks[i - 1];
    const b = this.toks[i];
    return a?.end === b?.start && a !== undefined;
  }

  /** True when tokens i-1 and i are separated by plain spaces on one line. */
  private spaced(i: number): boolean {
    const a = this.toks[i - 1];
    const b = this.toks[i];
    if (a === undefined || b === undefined || a.end === b.start) return false;
    for (let k = a.end; k < b.start; k++) {
      const ch = this.source.charCodeAt(k);
      if (ch === 10 || ch === 13) return false;
    }
    return true;
  }

  private wordAt(i: number): string | undefined {
    const t = this.toks[i];
    return t?.type === 'word' ? t.lower : undefined;
  }

  private symAt(i: number, sym: string): boolean {
    const t = this.toks[i];
    return t?.type === 'sym' && t.text === sym;
  }

  private hyphenAt(i: number): boolean {
    const t = this.toks[i];
    return t?.type === 'sym' && HYPHENS.has(t.text);
  }

  /** Token i is a word or numeral that follows i-1 with a space or a glued hyphen. */
  private nextWordIndex(i: number): number | null {
    if (this.spaced(i)) return i;
    if (this.hyphenAt(i) && this.glued(i) && this.glued(i + 1) && this.tok(i + 1)?.type === 'word') return i + 1;
    return null;
  }

  private atSentenceStart(i: number): boolean {
    const prev = this.tok(i - 1);
    if (prev === undefined) return true;
    if (prev.type === 'sym' && SENTENCE_BREAKS.has(prev.text)) return true;
    return !this.spaced(i) && !this.glued(i);
  }

  /**
   * Words from token i on, joined by spaces or glued hyphens ("twenty-five"), as lower case,
   * with the token index of each.
   */
  private wordRun(i: number, max: number): { words: string[]; idx: number[] } {
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

  // --- dates -----------------------------------------------------------------------------------

  private monthAt(i: number, allowAbbreviation: boolean): number | null {
    const t = this.tok(i);
    if (t?.type !== 'word') return null;
    const full = MONTHS.get(t.text);
    if (full !== undefined) return full;
    const short = allowAbbreviation ? MONTH_ABBREVIATIONS.get(t.text) : undefined;
    return short ?? null;
  }

  /** A day of the month at token i, with any glued ordinal ("12", "12th"); returns its end. */
  private dayAt(i: number, rangeEnd = false): { day: number; end: number } | null {
    const t = this.tok(i);
    if (t?.type !== 'num' || t.text.length > 2 || (!rangeEnd && this.gluedBefore(i))) return null;
    const day = Number(t.text);
    if (day < 1 || day > 31) return null;
    const suffix = this.tok(i + 1);
    if (suffix !== undefined && this.glued(i + 1)) {
      if (suffix.type === 'word' && ['st', 'nd', 'rd', 'th'].includes(suffix.lower)) return { day, end: i + 2 };
      if (suffix.type !== 'sym' || !(suffix.text === ',' || suffix.text === '.' || HYPHENS.has(suffix.text))) return null;
    }
    return { day, end: i + 1 };
  }

  /** A four-digit year after a month or a day and month: any year from 1000 on ("February 1082"). */
  private yearAt(i: number): number | null {
    const t = this.tok(i);
    if (t?.type !== 'num' || t.text.length !== 4) return null;
    const value = Number(t.text);
    if (value < 1000 || value > 2099) return null;
    const after = this.tok(i + 1);
    if (after !== undefined && this.glued(i + 1) && (after.type !== 'sym' || after.text === '%')) return null;
    return value;
  }

  private matchDate(i: number): Candidate | null {
    const t = this.tok(i);
    if (t === undefined) return null;

    if (t.type === 'num') {
      const iso = this.isoDate(i);
      if (iso !== null) return dateCandidate(i, i + 5, iso[0], iso[1], iso[2]);
      // "12 January", "12-14 January 2005", "1st May"
      const first = this.dayAt(i);
      if (first === null) return null;
      let k = first.end;
      if (this.hyphenAt(k) && this.glued(k) && this.glued(k + 1)) {
        const second = this.dayAt(k + 1, true);
        if (second === null) return null;
        k = second.end;
      } else if (this.spaced(k) && (this.wordAt(k) === 'to' || this.wordAt(k) === 'and') && this.spaced(k + 1)) {
        // "from 14 to 17 February", "between 12 and 14 January": a range of days, dated by its first.
        const second = this.dayAt(k + 1);
        if (second !== null && this.spaced(second.end) && this.monthAt(second.end, true) !== null) k = second.end;
      }
      if (!this.spaced(k)) return null;
      const month = this.monthAt(k, true);
      if (month === null) return null;
      k++;
      if (this.symAt(k, '.') && this.glued(k) && MONTH_ABBREVIATIONS.has(this.tok(k - 1)?.text ?? '')) k++;
      const year = this.spaced(k) ? this.yearAt(k) : null;
      return year === null ? dateCandidate(i, k, 0, month, first.day) : dateCandidate(i, k + 1, year, month, first.day);
    }

    if (t.type !== 'word') return null;
    const month = this.monthAt(i, true);
    if (month !== null) {
      // "January 12", "January 12, 2005", "January 2005"
      let k = i + 1;
      if (this.symAt(k, '.') && this.glued(k) && MONTH_ABBREVIATIONS.has(t.text)) k++;
      if (!this.spaced(k)) return null;
      const year = this.yearAt(k);
      if (year !== null) return dateCandidate(i, k + 1, year, month, 0);
      const day = this.dayAt(k);
      if (day === null) return null;
      const afterDay = this.tok(day.end);
      if (afterDay?.type === 'sym' && afterDay.text === ',' && this.glued(day.end) && this.spaced(day.end + 1)) {
        const y = this.yearAt(day.end + 1);
        if (y !== null) return dateCandidate(i, day.end + 2, y, month, day.day);
      }
      // "May 5 people" would be a count; "May 5%" a percentage.
      if (afterDay !== undefined && this.glued(day.end) && !(afterDay.type === 'sym' && [',', '.', ';', ':', ')'].includes(afterDay.text)))
        return null;
      if (this.spaced(day.end) && this.isUnitOrNounAt(day.end)) return null;
      return dateCandidate(i, day.end, 0, month, day.day);
    }

    // "in May", "since March", "mid-June": only a cue makes a lone month name a date.
    if (!MONTH_CUES.has(t.lower)) return null;
    let k = i + 1;
    if (this.hyphenAt(k) && this.glued(k) && this.glued(k + 1)) k++;
    else if (!this.spaced(k)) return null;
    const m = this.monthAt(k, false);
    if (m === null) return null;
    // With a day or year after it, the month starts its own, fuller date.
    if (this.spaced(k + 1) && (this.yearAt(k + 1) !== null || this.dayAt(k + 1) !== null)) return null;
    return dateCandidate(i, k + 1, 0, m, 0);
  }

  /**
   * A year before 1800 ("in 1185", "since 911"): only after a preposition that reads as a time
   * ("in", "since", "until"…), and {@link countedYear} still makes it a count when a noun follows
   * ("in 911 cases"). Modern years need no cue; old ones are too easily amounts.
   */
  private earlyYearAt(i: number, value: number): boolean {
    const t = this.tok(i);
    if (t?.type !== 'num' || !/^\d{3,4}$/.test(t.text) || value < 100 || value >= 1800) return false;
    return this.spaced(i) && EARLY_YEAR_CUES.has(this.wordAt(i - 1) ?? '');
  }

  /**
   * Centuries in a time phrase: "in the 10th and 11th centuries", "during the late 16th century".
   * Valued at the first year of the first century named (the 10th century is 900). Without the
   * preposition ("The 21st century began…") a century is a topic, not an answer to "when".
   */
  private matchCentury(i: number): Candidate | null {
    const first = this.ordinalAt(i);
    if (first === null) return null;
    let back = i - 1;
    if (CENTURY_QUALIFIERS.has(this.wordAt(back) ?? '') && this.spaced(back + 1)) back--;
    if (this.wordAt(back) !== 'the' || !this.spaced(back + 1) || !this.spaced(back)) return null;
    const cue = this.wordAt(back - 1) ?? '';
    // "in the 10th century", or a part of it: "the first half of the 10th century", "the end of the 16th century".
    if (!CENTURY_CUES.has(cue) && !(cue === 'of' && this.spaced(back - 1) && TIME_SPANS.has(this.wordAt(back - 2) ?? ''))) return null;
    let k = first.end;
    const joiner = this.wordAt(k);
    if (this.spaced(k) && (joiner === 'and' || joiner === 'to' || joiner === 'or') && this.spaced(k + 1)) {
      const second = this.ordinalAt(k + 1);
      if (second !== null) k = second.end;
    } else if (this.hyphenAt(k) && this.glued(k) && this.glued(k + 1)) {
      const second = this.ordinalAt(k + 1);
      if (second !== null) k = second.end;
    }
    const noun = this.wordAt(k);
    if (!this.spaced(k) || (noun !== 'century' && noun !== 'centuries')) return null;
    return candidate(i, k + 1, (first.value - 1) * 100, null, 'year');
  }

  /** An ordinal numeral up to 21 ("10th", "21st"); returns its value and end. */
  private ordinalAt(i: number): { value: number; end: number } | null {
    const t = this.tok(i);
    const suffix = this.tok(i + 1);
    if (t?.type !== 'num' || !/^\d{1,2}$/.test(t.text) || suffix?.type !== 'word' || !this.glued(i + 1)) return null;
    if (!['st', 'nd', 'rd', 'th'].includes(suffix.lower)) return null;
    const value = Number(t.text);
    return value >= 1 && value <= 21 ? { value, end: i + 2 } : null;
  }

  /** "2023-11-06" as [year, month, day]. */
  private isoDate(i: number): [number, number, number] | null {
    const parts = [this.tok(i), this.tok(i + 2), this.tok(i + 4)];
    if (!this.hyphenAt(i + 1) || !this.hyphenAt(i + 3)) return null;
    for (let k = i + 1; k <= i + 4; k++) if (!this.glued(k)) return null;
    const [yt, mt, dt] = parts;
    if (
      yt?.type !== 'num' ||
      mt?.type !== 'num' ||
      dt?.type !== 'num' ||
      yt.text.length !== 4 ||
      mt.text.length !== 2 ||
      dt.text.length !== 2
    )
      return null;
    const after = this.tok(i + 5);
    if (after !== undefined && this.glued(i + 5) && (after.type !== 'sym' || HYPHENS.has(after.text))) return null;
    const y = Number(yt.text);
    const m = Number(mt.text);
    const d = Number(dt.text);
    if (!isYearValue(y) || m < 1 || m > 12 || d < 1 || d > 31) return null;
    return [y, m, d];
  }

  private isUnitOrNounAt(i: number): boolean {
    return this.unitAt(i) !== null || this.countedNoun(i) !== null;
  }

  // --- ratios and fractions ---------------------------------------------------------------------

  /** "one in five", "1 in 10 people". */
  private matchRatio(i: number): Candidate | null {
    const a = this.smallInteger(i);
    if (a === null || !this.spaced(i + 1) || this.wordAt(i + 1) !== 'in' || !this.spaced(i + 2)) return null;
    if (LABEL_WORDS.has(this.wordAt(i - 1) ?? '')) return null;
    if (a.word && isCapitalised(this.tok(i)?.text ?? '') && !this.atSentenceStart(i)) return null;
    const b = this.smallInteger(i + 2);
    if (b === null || b.value <= a.value || b.value > 1000) return null;
    let end = i + 3;
    let unit: string | null = null;
    const noun = this.spaced(end) ? this.countedNoun(end) : null;
    if (noun !== null) {
      end = noun.end;
      unit = noun.head;
    }
    return { startTok: i, endTok: end, value: a.value / b.value, unit, kind: 'quantity' };
  }

  private smallInteger(i: number): { value: number; word: boolean } | null {
    const t = this.tok(i);
    const after = this.tok(i + 1);
    // "1-in-5" hyphenations aside, anything glued after ("5%", "5m", "five-year") is another figure.
    if (after !== undefined && this.glued(i + 1) && (after.type !== 'sym' || after.text === '%' || HYPHENS.has(after.text))) return null;
    if (t?.type === 'num') {
      if (this.gluedBefore(i)) return null;
      const v = parseNumeral(t.text);
      return v !== null && Number.isInteger(v) && !t.text.includes(',') ? { value: v, word: false } : null;
    }
    if (t?.type !== 'word') return null;
    const v = smallNumberWord(t.lower);
    return v === null ? null : { value: v, word: true };
  }

  /** "half of the country's prewar population", "two-thirds of voters". */
  private matchFraction(i: number): Candidate | null {
    const t = this.tok(i);
    if (t?.type !== 'word' || !NUMBER_OPENERS.has(t.lower)) return null;
    if (isCapitalised(t.text) && !this.atSentenceStart(i)) return null;
    const prev = this.wordAt(i - 1);
    // "the first half of the year" is a period, not a share.
    if (prev !== undefined && ['first', 'second', 'other', 'latter', 'former', 'the', 'final'].includes(prev)) return null;
    const run = this.wordRun(i, 3);
    const f = parseFractionWords(run.words);
    if (f === null) return null;
    const ofIdx = (run.idx[f.length - 1] ?? i) + 1;
    if (!this.spaced(ofIdx) || this.wordAt(ofIdx) !== 'of') return null;
    const np = this.nounPhrase(ofIdx + 1);
    if (np === null) return null;
    return { startTok: i, endTok: np.end, value: f.value, unit: np.head, kind: 'quantity' };
  }

  /**
   * A loose noun phrase after "of": optional determiner, then up to four content words that
   * stop at punctuation, a stop word or the first plural. Used for fractions, where the noun
   * may be singular ("half of the population").
   */
  private nounPhrase(i: number): { end: number; head: string } | null {
    if (!this.spaced(i)) return null;
    let k = i;
    const det = this.wordAt(k);
    if (det !== undefined && ['the', 'its', 'their', 'his', 'her', 'our', 'all', 'those', 'these'].includes(det)) {
      k++;
      if (!this.spaced(k)) return null;
    }
    let end = -1;
    let head = '';
    for (let n = 0; n < 4; n++) {
      const w = this.tok(k);
      if (
        w?.type !== 'word' ||
        NOT_NOUNS.has(w.lower) ||
        OBJECT_PRONOUNS.has(w.lower) ||
        w.lower.endsWith('ly') ||
        smallNumberWord(w.lower) !== null
      )
        break;
      end = k + 1;
      head = w.text;
      if (!this.spaced(k + 1) || looksPlural(w.lower)) break;
      k++;
    }
    if (end < 0) return null;
    // Trailing participles are more often verbs ("half of those surveyed said") than nouns.
    while (end > i + 1 && /(?:ed|ing)$/.test(this.tok(end - 1)?.lower ?? '')) {
      end--;
      head = this.tok(end - 1)?.text ?? head;
    }
    const last = this.tok(end - 1);
    if (last === undefined || NOT_NOUNS.has(last.lower) || /(?:ed|ing)$/.test(last.lower)) return null;
    return { end, head: isPossessive(head) ? head.slice(0, -2) : head };
  }

  // --- numbers ---------------------------------------------------------------------------------

  /** True when numeral i is glued to something before it that makes it part of a code ("MP3", "9/11"). */
  private gluedBefore(i: number): boolean {
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

  /** Reads a numeral (with multiplier) or spelled-out number at token i. */
  private readNumber(i: number, currency: boolean): NumberCore | null {
    const t = this.tok(i);
    if (t === undefined) return null;
    if (t.type === 'num') return this.readNumeral(i, currency);
    if (t.type !== 'word' || !NUMBER_OPENERS.has(t.lower)) return null;
    if (isCapitalised(t.text) && !this.atSentenceStart(i)) return null;
    const run = this.wordRun(i, 8);
    const parsed = parseNumberWords(run.words);
    if (parsed === null) return null;
    const lastIdx = run.idx[parsed.length - 1] ?? i;
    const isOne = parsed.length === 1 && t.lower === 'one';
    if (isOne) {
      const prev = this.wordAt(i - 1);
      if (prev !== undefined && ['no', 'any', 'every', 'the', 'this', 'that', 'which', 'each', 'another'].includes(prev)) return null;
    }
    const used = run.words.slice(0, parsed.length);
    const scaled = used.some(isMultiplierWord);
    // "four million" has multiplier 1e6, so "three to four million" can share it.
    const multiplier = SCALE_WORDS.get(used[used.length - 1] ?? '') ?? 1;
    return {
      value: parsed.value,
      end: lastIdx + 1,
      numeral: false,
      yearLike: false,
      integer: Number.isInteger(parsed.value),
      scaled,
      multiplier,
      gluedM: false,
      vague: parsed.vague,
      isOne,
    };
  }

  /** `rangeEnd` is set for the second number of "7-5", which is glued to a hyphen by design. */
  private readNumeral(i: number, currency: boolean, rangeEnd = false): NumberCore | null {
    const t = this.tok(i);
    if (t?.type !== 'num' || (!rangeEnd && this.gluedBefore(i))) return null;
    let value = parseNumeral(t.text);
    if (value === null) return null;
    // "0800 GMT" is a clock time, "'83" a year in shorthand.
    if (/^0\d/.test(t.text)) return null;
    const before = this.tok(i - 1);
    if (before !== undefined && this.glued(i) && (before.text === "'" || before.text === '’') && t.text.length === 2) return null;
    const plain = !t.text.includes(',') && !t.text.includes('.');
    let end = i + 1;
    let scaled = false;
    let multiplier = 1;
    let gluedM = false;
    const next = this.tok(end);
    if (next !== undefined && this.glued(end)) {
      if (next.type === 'num') return null;
      if (next.type === 'word') {
        const mult = MULTIPLIER_SUFFIXES.get(next.lower);
        if (mult !== undefined && (currency || next.lower !== 'k')) {
          // Without a currency, "5m" may be metres; the caller decides.
          gluedM = !currency && next.lower === 'm';
          multiplier = mult;
          value = scale(value, mult);
          scaled = true;
          end++;
        } else if (REFUSING_SUFFIXES.has(next.lower)) {
          return null;
        }
      } else if (next.text === '/' || next.text === ':' || next.text === '.' || next.text === ',') {
        const after = this.tok(end + 1);
        // "2006/07" is a season, handled by the caller; "9/11", "10:30" and "1.2.3" are codes.
        const season = next.text === '/' && t.text.length === 4 && (after?.text.length === 2 || after?.text.length === 4);
        if (after !== undefined && this.glued(end + 1) && after.type === 'num' && !season) return null;
      }
    }
    if (!scaled && this.spaced(end)) {
      const w = this.wordAt(end);
      const mult =
        w === undefined ? undefined : (SCALE_WORDS.get(w) ?? (w === 'bn' || w === 'tn' ? MULTIPLIER_SUFFIXES.get(w) : undefined));
      if (mult !== undefined) {
        multiplier = mult;
        value = scale(value, mult);
        scaled = true;
        end++;
      } else if (w === 'am' || w === 'pm' || w === 'gmt' || w === 'bst' || w === 'cet' || w === 'et') {
        return null;
      }
    }
    if (!Number.isFinite(value)) return null;
    return {
      value,
      end,
      numeral: true,
      yearLike: plain && !scaled && ((t.text.length === 4 && isYearValue(value)) || this.earlyYearAt(i, value)),
      integer: Number.isInteger(value),
      scaled,
      multiplier,
      gluedM,
      vague: false,
      isOne: false,
    };
  }

  // --- units -------------------------------------------------------------------------------------

  /** A time or measurement unit at token i (spaced, glued or hyphen-glued to the number). */
  private unitAt(i: number): UnitMatch | null {
    const t = this.tok(i);
    if (t?.type !== 'word') {
      // "5°C"
      if (t?.type === 'sym' && t.text === '°' && this.glued(i) && this.glued(i + 1)) {
        const cf = this.tok(i + 1)?.text;
        if (cf === 'C' || cf === 'F') return { unit: `°${cf}`, kind: 'quantity', end: i + 2 };
      }
      return null;
    }
    const time = TIME_UNITS.get(t.lower);
    if (time !== undefined) return { unit: time, kind: 'duration', end: i + 1 };
    const glued = this.glued(i);
    if (glued) {
      const g = GLUED_ONLY_UNITS.get(t.text);
      if (g !== undefined) return { unit: g, kind: 'quantity', end: i + 1 };
    }
    const abbr = ABBREVIATED_UNITS.get(t.text);
    if (abbr !== undefined) {
      // "km/h"
      if (abbr === 'km' && this.symAt(i + 1, '/') && this.glued(i + 1) && this.glued(i + 2) && this.tok(i + 2)?.text === 'h') {
        return { unit: 'km/h', kind: 'quantity', end: i + 3 };
      }
      return { unit: abbr, kind: 'quantity', end: i + 1 };
    }
    if (t.lower === 'square' || t.lower === 'sq' || t.lower === 'cubic') {
      const inner = this.spaced(i + 1) ? this.unitAt(i + 1) : null;
      if (inner?.kind !== 'quantity') return null;
      return { unit: `${t.lower === 'cubic' ? 'cubic' : 'sq'} ${inner.unit}`, kind: 'quantity', end: inner.end };
    }
    if (t.lower === 'basis') {
      const points = this.wordAt(i + 1);
      return this.spaced(i + 1) && (points === 'points' || points === 'point')
        ? { unit: 'basis points', kind: 'quantity', end: i + 2 }
        : null;
    }
    const word = WORD_UNITS.get(t.lower);
    if (word === undefined) return null;
    const end = i + 1;
    if (
      word === 'barrels' &&
      this.spaced(end) &&
      ['a', 'per'].includes(this.wordAt(end) ?? '') &&
      this.spaced(end + 1) &&
      this.wordAt(end + 1) === 'day'
    ) {
      return { unit: 'barrels a day', kind: 'quantity', end: end + 2 };
    }
    if (word === 'degrees' && this.spaced(end)) {
      const scale = this.tok(end)?.text;
      if (scale === 'C' || scale === 'Celsius' || scale === 'centigrade') return { unit: '°C', kind: 'quantity', end: end + 1 };
      if (scale === 'F' || scale === 'Fahrenheit') return { unit: '°F', kind: 'quantity', end: end + 1 };
    }
    return { unit: word, kind: 'quantity', end };
  }

  /** A currency word after a number: "5 million dollars", "1bn CFA francs", "50 cents". */
  private currencyWordAt(i: number): { code: string; minor: boolean; end: number } | null {
    const t = this.tok(i);
    if (t?.type !== 'word') return null;
    if (t.text === 'p' && this.glued(i)) return { code: 'GBP', minor: true, end: i + 1 };
    // "a 4bn-euro hole", "the 418bn-rand budget"
    if (this.hyphenAt(i - 1) && this.glued(i - 1) && this.glued(i)) {
      const entry = CURRENCY_WORDS.get(t.lower);
      return entry === undefined || entry.minor === true ? null : { code: entry.code, minor: false, end: i + 1 };
    }
    if (!this.spaced(i)) return null;
    for (const n of [3, 2, 1]) {
      const run = this.wordRun(i, n);
      if (run.words.length !== n) continue;
      const entry = CURRENCY_WORDS.get(run.words.join(' '));
      if (entry !== undefined) return { code: entry.code, minor: entry.minor === true, end: (run.idx[n - 1] ?? i) + 1 };
    }
    return null;
  }

  /**
   * A counted noun phrase after a number: up to three words ending at the first plural
   * ("subscribers", "new jobs", "unreleased Nirvana tracks"). Stops at punctuation and stop words.
   */
  private countedNoun(i: number): { end: number; head: string } | null {
    let k = i;
    for (let n = 0; n < 3; n++) {
      const w = this.tok(k);
      if (w?.type !== 'word' || NOT_NOUNS.has(w.lower) || isPossessive(w.lower) || w.lower.endsWith('ly')) return null;
      if (smallNumberWord(w.lower) !== null || SCALE_WORDS.has(w.lower) || MONTHS.has(w.text)) return null;
      // Hyphenated compounds count as one word: "500 full-time jobs".
      let last = k;
      while (this.hyphenAt(last + 1) && this.glued(last + 1) && this.glued(last + 2) && this.tok(last + 2)?.type === 'word') last += 2;
      const lastTok = this.tok(last);
      if (lastTok !== undefined && looksPlural(lastTok.lower) && (!isCapitalised(lastTok.text) || looksLikePluralName(lastTok.text))) {
        return { end: last + 1, head: lastTok.text };
      }
      if (!this.spaced(last + 1)) return null;
      k = last + 1;
    }
    return null;
  }

  private matchModifier(i: number): Modifier | null {
    const t = this.tok(i);
    if (t?.type !== 'word') return null;
    const options = MODIFIERS_BY_FIRST.get(t.lower);
    if (options === undefined) return null;
    for (const [words, strength] of options) {
      let ok = true;
      for (let n = 1; n < words.length && ok; n++) ok = this.spaced(i + n) && this.wordAt(i + n) === words[n];
      if (ok && this.spaced(i + words.length))
        return words.length === 1 && this.prepositionAfterVerb(i) ? null : { len: words.length, strength };
    }
    return null;
  }

  /**
   * "slotted over four penalties", "clashed over two issues": after these verbs "over" and "under"
   * say where or about what, not "more than"; the number after them is what was moved or argued over.
   */
  private prepositionAfterVerb(i: number): boolean {
    const word = this.wordAt(i);
    if (word !== 'over' && word !== 'under') return false;
    const verb = this.wordAt(i - 1);
    return verb !== undefined && this.spaced(i) && PREPOSITION_VERB_STEMS.has(stemmer(verb));
  }

  private matchCurrencyPrefix(i: number): { code: string; len: number } | null {
    const t = this.tok(i);
    if (t === undefined) return null;
    if (t.type === 'sym') {
      const code = CURRENCY_SIGNS.get(t.text);
      if (code === undefined || (code === 'USD' && this.glued(i) && this.tok(i - 1)?.type === 'word')) return null;
      return this.tok(i + 1)?.type === 'num' && this.glued(i + 1) ? { code, len: 1 } : null;
    }
    const code = t.type === 'word' ? DOLLAR_PREFIXES.get(t.text) : undefined;
    if (code === undefined || !this.symAt(i + 1, '$') || !this.glued(i + 1) || !this.glued(i + 2)) return null;
    if (this.glued(i) && this.tok(i - 1)?.type !== 'sym') return null;
    return this.tok(i + 2)?.type === 'num' ? { code, len: 2 } : null;
  }

  /** A label word before token i makes its number a name: "Channel 4", "page 3", "Xbox 360". */
  private labelled(i: number): boolean {
    if (!this.spaced(i)) return false;
    const prev = this.tok(i - 1);
    if (prev?.type !== 'word') return false;
    if (LABEL_WORDS.has(prev.lower)) return true;
    return (
      isCapitalised(prev.text) &&
      !NOT_NOUNS.has(prev.lower) &&
      !MONTHS.has(prev.text) &&
      !isPossessive(prev.lower) &&
      !MODIFIERS_BY_FIRST.has(prev.lower)
    );
  }

  // --- the main matcher --------------------------------------------------------------------------

  /**
   * A number with whatever belongs to it: modifier, currency, range, unit or counted noun.
   * Reads the head (modifier, currency sign, number), then hands over to the unit readers in
   * order of how definite they are: percent, money, time and measures, then the unit-less forms.
   */
  private matchMain(i: number): Candidate | null {
    const head = this.readHead(i);
    if (head === null) return null;
    const season = this.matchYearForm(head);
    if (season !== undefined) return season;
    const range = this.readRange(head);
    if (range === null) return null;
    if (head.mod?.strength === 'between' && range.kind === null) return null;
    return this.matchWithUnit(head, range) ?? this.matchUnitless(head, range);
  }

  private readHead(i: number): Head | null {
    let j = i;
    const mod = this.matchModifier(j);
    if (mod !== null) j += mod.len;
    const coreStart = j;
    const prefix = this.matchCurrencyPrefix(j);
    if (prefix !== null) j += prefix.len;
    const core = this.readNumber(j, prefix !== null);
    const numeral = this.tok(j);
    if (core === null || numeral === undefined) return null;
    return { start: i, mod, coreStart, numStart: j, numeral, prefix, core };
  }

  /** Modifiers belong to quantities, not to years, scores or dates. */
  private emit(
    h: Head,
    kind: FigureKind,
    unit: string | null,
    endTok: number,
    value: number,
    keepModifier = true,
    currency?: string,
  ): Candidate {
    const c = candidate(h.mod !== null && keepModifier ? h.start : h.coreStart, endTok, value, unit, kind, currency);
    return h.core.vague ? { ...c, vague: true } : c;
  }

  /**
   * Seasons, year ranges and decades: "2004-05", "1998-2003", "2006/07", "the 1990s". Returns
   * undefined when the head is not a year, null when it is one glued to something unreadable.
   */
  private matchYearForm(h: Head): Candidate | null | undefined {
    const { core, prefix } = h;
    if (!core.yearLike || prefix !== null) return undefined;
    const end = core.end;
    if ((this.hyphenAt(end) || this.symAt(end, '/')) && this.glued(end) && this.glued(end + 1)) {
      const second = this.tok(end + 1);
      const after = this.tok(end + 2);
      const chained = after !== undefined && this.glued(end + 2) && (after.type !== 'sym' || HYPHENS.has(after.text) || after.text === '/');
      if (second?.type === 'num' && second.text.length <= 4 && second.text.length !== 3 && !chained) {
        return this.emit(h, 'year', null, end + 2, core.value, false);
      }
      return null;
    }
    if (this.wordAt(end) === 's' && this.glued(end) && core.value % 10 === 0) {
      return this.emit(h, 'year', null, end + 1, core.value, false);
    }
    return undefined;
  }

  /**
   * A second number making a range: "10-15%", "25 to 30 seats", "between 5 and 10 years", or
   * the "7-5" of a score. The range takes the first number as its value, scaled like the second
   * ("5 to 10 million"). Null when the hyphenated form is unreadable ("4-4-2").
   */
  private readRange(h: Head): Range | null {
    const { core } = h;
    const end = core.end;
    const none: Range = { kind: null, hi: null, end, value: core.value };
    if (core.yearLike || core.vague) return none;
    if (core.numeral && !core.scaled && this.hyphenAt(end) && this.glued(end) && this.glued(end + 1) && this.tok(end + 1)?.type === 'num') {
      const second = this.readNumeral(end + 1, false, true);
      if (second === null) return null;
      if (this.hyphenAt(second.end) && this.glued(second.end) && this.tok(second.end + 1)?.type === 'num') return null;
      return { kind: 'hyphen', hi: second.value, end: second.end, value: scale(core.value, second.multiplier) };
    }
    const joiner = this.spaced(end) ? this.wordAt(end) : undefined;
    if ((joiner === 'to' || (joiner === 'and' && h.mod?.strength === 'between')) && this.spaced(end + 1)) {
      const second = this.readNumber(end + 1, false);
      // "5 to 10 million" shares the multiplier; "rose 32,000 to 1.41 million" is a change
      // between two figures, not a range.
      const shared = second !== null && second.scaled && !core.scaled;
      const unscaledSecond = second === null ? 0 : second.value / second.multiplier;
      if (
        second !== null &&
        !second.yearLike &&
        !second.vague &&
        (!shared || core.value < unscaledSecond) &&
        (second.scaled || !core.scaled)
      ) {
        return { kind: 'word', hi: second.value, end: second.end, value: shared ? scale(core.value, second.multiplier) : core.value };
      }
    }
    return none;
  }

  /** Percentages, money, time spans, ages and measures. */
  private matchWithUnit(h: Head, range: Range): Candidate | null {
    const { core, mod } = h;
    let end = range.end;
    let value = range.value;

    const pct = h.prefix === null ? this.percentAt(end) : null;
    if (pct !== null) return this.emit(h, 'percent', pct.unit, pct.end, value);

    let currency = h.prefix?.code;
    if (currency === undefined) {
      const word =
        this.currencyWordAt(end) ?? (this.hyphenAt(end) ? this.currencyWordAt(end + 1) : null) ?? this.vagueOfCurrency(core, end);
      if (word !== null) {
        currency = word.code;
        if (word.minor) value = scale(value, 0.01);
        end = word.end;
      }
    }
    if (currency !== undefined) return this.emit(h, 'money', currency, this.moneyTail(end), value, true, currency);

    // Units may be spaced ("10 years"), glued ("5km") or hyphenated ("four-month").
    const unitStart = this.hyphenAt(end) && this.glued(end) && this.glued(end + 1) ? end + 1 : end;
    if (unitStart === end && !this.glued(end) && !this.spaced(end)) return null;
    const unit = this.unitAt(unitStart);
    if (unit === null || (core.vague && unitStart === end)) return null;
    const age = this.ageSuffix(unit);
    if (age !== null) return this.emit(h, 'age', 'years', age, value);
    if (mod?.strength === 'age') return unit.unit === 'years' ? this.emit(h, 'age', 'years', unit.end, value) : null;
    if (unit.kind === 'duration') {
      // "One day" is an idiom far more often than a measured day; "5years" is a typo or a code.
      if (core.isOne && unit.unit === 'days' && unitStart === end && mod === null) return null;
      if (unitStart === end && !this.spaced(end)) return null;
      // "£960m over 15 years": straight after another figure, "over" spans the time, not "more than".
      const spans = mod !== null && this.wordAt(h.start) === 'over' && this.lastFigureEnd === h.start;
      return this.emit(h, 'duration', unit.unit, unit.end, value, !spans);
    }
    return this.emit(h, 'quantity', unit.unit, this.conversionTail(unit.end, 'quantity'), value);
  }

  /** Scores, years, counts and bare numbers: what is left when no unit follows. */
  private matchUnitless(h: Head, range: Range): Candidate | null {
    const { core, mod, numStart, numeral } = h;
    const end = range.end;
    let value = range.value;
    if (mod?.strength === 'age') {
      if (range.kind !== null) return this.emit(h, 'age', 'years', end, value);
      return core.integer && value < 130 ? this.emit(h, 'age', 'years', end, value) : null;
    }
    // A hyphen glued to an unknown word makes a compound ("20-man", "3-D"); glued letters make a
    // code ("3G", "4x4").
    const next = this.tok(end);
    if (next !== undefined && this.glued(end)) {
      if (next.type === 'word') return null;
      if (this.hyphenAt(end) && this.tok(end + 1)?.type === 'word' && this.glued(end + 1)) return null;
    }

    const nextWord = this.spaced(end) ? this.wordAt(end) : undefined;
    const noun = nextWord !== undefined && !(core.gluedM && METRE_CONTEXT.has(nextWord)) ? this.countedNoun(end) : null;
    if (core.gluedM && noun === null) {
      // Without a currency or a counted noun, "400m" and "1200m" are distances and "7.95m" a
      // jump (measured to the centimetre); "another 550m" and "2.4m" read as millions.
      const metres = core.value / core.multiplier;
      const commaless = /^\d{4,}$/.test(numeral.text);
      // "the final 300m" of a race is a stretch of it.
      const stretch = RANK_WORDS.has(this.wordAt(h.coreStart - 1) ?? '');
      if (METRE_EVENTS.has(metres) || commaless || stretch || /\.\d\d$/.test(numeral.text) || METRE_CONTEXT.has(nextWord ?? '')) {
        return this.emit(h, 'quantity', 'm', end, metres);
      }
    }

    if (range.kind === 'hyphen' && noun === null && range.hi !== null) {
      // "the 25-54 age group"
      if (nextWord === 'age') return this.emit(h, 'age', 'years', end, value);
      // Scores: small whole numbers on both sides, as in "7-5 6-4" or "2-1".
      if (core.integer && Number.isInteger(range.hi) && core.value <= 99 && range.hi <= 99 && !this.afterOdds(h.coreStart)) {
        return this.emit(h, 'score', null, this.scoreTail(end, core.value, range.hi), value, false);
      }
      // Larger pairs are vote tallies ("MPs voted 272-219") unless a determiner or a name makes
      // them a model number ("the 737-800", "Boeing 777-200"); odds are never figures.
      const before = this.wordAt(h.coreStart - 1);
      if (this.afterOdds(h.coreStart) || this.labelled(h.coreStart) || (before !== undefined && MODEL_NUMBER_OPENERS.has(before)))
        return null;
      return this.emit(h, 'count', null, end, value);
    }

    if (core.vague) {
      // "dozens of people", "thousands of fans": the "of" and the noun are required.
      if (nextWord !== 'of' || !this.spaced(end + 1)) return null;
      // "millions of tonnes", "hundreds of years": a measure rather than a count.
      const measure = this.unitAt(end + 1);
      if (measure !== null) return this.emit(h, measure.kind, measure.unit, measure.end, value);
      const n = this.countedNoun(end + 1);
      return n === null ? null : this.emit(h, 'count', n.head, n.end, value);
    }

    if (core.yearLike && range.kind === null && !this.countedYear(h, noun)) return this.emit(h, 'year', null, end, value, false);

    const plainNumeral = core.numeral && !core.scaled;
    // Ages written after a name: "Jeffrey Royer, 41, fed damaging information".
    if (
      plainNumeral &&
      core.integer &&
      range.kind === null &&
      mod === null &&
      noun === null &&
      (this.nameAge(numStart) || this.atAge(numStart))
    ) {
      return this.emit(h, 'age', 'years', end, value, false);
    }
    // "when she was just 15": a person's bare number is an age.
    if (plainNumeral && core.integer && range.kind === null && noun === null && this.personWas(h)) {
      return this.emit(h, 'age', 'years', end, value, false);
    }

    if (noun !== null && (core.value !== 1 || core.scaled)) {
      if (!core.numeral && !core.integer) return null;
      if (plainNumeral && this.labelled(numStart)) return null;
      return this.emit(h, 'count', noun.head, noun.end, value);
    }

    // Bare numbers: numerals and scaled words only; "two" on its own is too vague, and a bare
    // single digit is nearly always a rank, a label or part of a name.
    if (!core.numeral && !core.scaled) return null;
    if (plainNumeral) {
      if (this.labelled(numStart) || this.listMarker(numStart) || this.bracketedAfterName(numStart, end)) return null;
      if (mod === null && this.beforeName(end)) return null;
      if (mod === null && RANK_WORDS.has(this.wordAt(numStart - 1) ?? '')) return null;
      if (mod === null && range.kind === null && core.value < 10 && core.integer) return null;
      if (range.kind === null && looksLikeClockTime(numeral.text)) return null;
    }
    value = range.value;
    return this.emit(h, core.integer ? 'count' : 'quantity', null, end, value);
  }

  /**
   * Whether a four-digit number in 1800–2099 is a count after all: it has a strong modifier
   * ("more than 2000"), or a lower-case counted noun and no year-like word before it
   * ("sold 2000 copies", but "the 2004 results", "in 2004 prices rose").
   */
  private countedYear(h: Head, noun: { head: string } | null): boolean {
    if (h.mod?.strength === 'strong') return true;
    if (!isYearValue(h.core.value)) return noun !== null;
    if (noun === null || YEAR_NOUNS.has(noun.head.toLowerCase()) || isCapitalised(noun.head)) return false;
    const prevWord = this.wordAt(h.coreStart - 1);
    return !(prevWord !== undefined && (YEAR_CONTEXT.has(prevWord) || isPossessive(prevWord)));
  }

  /** "percent", "per cent", "%", "percentage points" at token i. */
  private percentAt(i: number): { unit: string; end: number } | null {
    const t = this.tok(i);
    if (t === undefined) return null;
    if (t.type === 'sym') return t.text === '%' && (this.glued(i) || this.spaced(i)) ? { unit: '%', end: i + 1 } : null;
    if (!this.spaced(i) || t.type !== 'word') return null;
    if (t.lower === 'percent') return { unit: '%', end: i + 1 };
    const next = this.wordAt(i + 1);
    if (t.lower === 'per' && next === 'cent' && this.spaced(i + 1)) return { unit: '%', end: i + 2 };
    if (t.lower === 'percentage' && (next === 'points' || next === 'point') && this.spaced(i + 1))
      return { unit: 'percentage points', end: i + 2 };
    return null;
  }

  /** "millions of pounds": a vague plural whose noun is a currency. */
  private vagueOfCurrency(core: NumberCore, i: number): { code: string; minor: boolean; end: number } | null {
    if (!core.vague || this.wordAt(i) !== 'of' || !this.spaced(i)) return null;
    const w = this.currencyWordAt(i + 1);
    return w !== null && !w.minor ? w : null;
  }

  /** After money: a rate ("a year", "per barrel") and a conversion in brackets ("(£600m)"). */
  private moneyTail(end: number): number {
    let e = end;
    for (let n = 0; n < 2; n++) {
      const rateEnd = this.rateAt(e);
      if (rateEnd !== null) e = rateEnd;
      const conv = this.conversionTail(e, 'money');
      if (conv === e) break;
      e = conv;
    }
    return e;
  }

  private rateAt(i: number): number | null {
    const w = this.wordAt(i);
    if (w === undefined || !this.spaced(i) || !['a', 'an', 'per', 'each'].includes(w)) return null;
    const r = this.wordAt(i + 1);
    // "a year-on-year rise" is not a rate.
    return r !== undefined && this.spaced(i + 1) && RATE_WORDS.has(r) && !(this.hyphenAt(i + 2) && this.glued(i + 2)) ? i + 2 : null;
  }

  /** A bracketed conversion of the same kind: "$1.13bn (£600m)", "1bn CFA francs ($2m; £1m)". */
  private conversionTail(end: number, kind: 'money' | 'quantity'): number {
    // Conversions do not nest; refusing them inside one keeps the recursion one level deep.
    if (this.inConversion || !this.symAt(end, '(') || !this.spaced(end)) return end;
    this.inConversion = true;
    try {
      return this.conversionEnd(end, kind);
    } finally {
      this.inConversion = false;
    }
  }

  private conversionEnd(end: number, kind: 'money' | 'quantity'): number {
    let k = end + 1;
    for (;;) {
      const inner = this.matchMain(k);
      if (inner?.kind !== kind || inner.startTok !== k) return end;
      k = inner.endTok;
      const sep = this.tok(k);
      if (sep?.type === 'sym' && sep.text === ')') return k + 1;
      if (sep?.type === 'sym' && (sep.text === ';' || sep.text === ',' || sep.text === '/')) k++;
      else if (sep?.type === 'word' && sep.lower === 'or') k++;
      else return end;
    }
  }

  /** "44-year-old", "44 years old", "18-24 year olds", "44 years of age": returns the end. */
  private ageSuffix(unit: UnitMatch): number | null {
    const unitEnd = unit.end;
    if (unit.unit !== 'years') return null;
    const hyphenated = this.hyphenAt(unitEnd) && this.glued(unitEnd) && this.glued(unitEnd + 1);
    const oldIdx = hyphenated ? unitEnd + 1 : this.spaced(unitEnd) ? unitEnd : -1;
    const old = this.wordAt(oldIdx);
    if (old === 'old' || old === 'olds' || old === "old's" || old === 'old’s') return oldIdx + 1;
    if (this.wordAt(unitEnd) === 'of' && this.spaced(unitEnd + 1) && this.wordAt(unitEnd + 1) === 'age') return unitEnd + 2;
    return null;
  }

  /** Further tennis sets and tie-breaks after a score: "7-6 (7-4) 6-3". */
  private scoreTail(end: number, a: number, b: number): number {
    if (!isTennisSet(a, b)) return end;
    let e = end;
    for (;;) {
      let k = e;
      let bracket = false;
      if (this.symAt(k, ',') && this.glued(k)) k++;
      if (this.symAt(k, '(') && this.spaced(k)) {
        bracket = true;
        k++;
      } else if (!this.spaced(k)) {
        return e;
      }
      const pair = this.scorePair(k);
      if (pair === null) return e;
      if (bracket) {
        if (!this.symAt(pair.end, ')') || !this.glued(pair.end)) return e;
        e = pair.end + 1;
      } else {
        if (!isTennisSet(pair.a, pair.b)) return e;
        e = pair.end;
      }
    }
  }

  private scorePair(k: number): { a: number; b: number; end: number } | null {
    const x = this.tok(k);
    const y = this.tok(k + 2);
    if (x?.type !== 'num' || y?.type !== 'num' || !this.hyphenAt(k + 1) || !this.glued(k + 1) || !this.glued(k + 2)) return null;
    if (this.tok(k + 3) !== undefined && this.glued(k + 3) && !this.symAt(k + 3, ')') && !this.symAt(k + 3, ',') && !this.symAt(k + 3, '.'))
      return null;
    const a = parseNumeral(x.text);
    const b = parseNumeral(y.text);
    if (a === null || b === null || !Number.isInteger(a) || !Number.isInteger(b) || a > 99 || b > 99) return null;
    return { a, b, end: k + 3 };
  }

  /** "odds of 8-1" are a price, not a score. */
  private afterOdds(i: number): boolean {
    return (this.wordAt(i - 1) === 'of' && this.wordAt(i - 2) === 'odds') || this.wordAt(i - 1) === 'odds';
  }

  /** "Name, 41," — a small number set off by commas straight after a capitalised name. */
  private nameAge(i: number): boolean {
    const t = this.tok(i);
    if (t === undefined || t.text.length > 3) return false;
    const v = Number(t.text);
    if (v < 1 || v > 115) return false;
    if (!this.symAt(i - 1, ',') || !this.glued(i - 1) || !this.spaced(i)) return false;
    const name = this.tok(i - 2);
    if (name?.type !== 'word' || !isCapitalised(name.text) || MONTHS.has(name.text) || NOT_NOUNS.has(name.lower)) return false;
    const after = this.tok(i + 1);
    return after?.type === 'sym' && this.glued(i + 1) && [',', '.', ';', ')'].includes(after.text);
  }

  /** "he was 15", "she was only 15.": a bare number after a person's "was" or "is", closing the clause. */
  private personWas(h: Head): boolean {
    if (h.mod !== null && h.mod.strength !== 'weak') return false;
    const at = h.mod === null ? h.coreStart : h.start;
    const t = this.tok(h.numStart);
    const v = Number(t?.text);
    if (t === undefined || t.text.length > 3 || v < 1 || v > 115 || !this.spaced(at)) return false;
    const verb = this.wordAt(at - 1);
    if ((verb !== 'was' && verb !== 'is') || !this.spaced(at - 1) || !PERSON_SUBJECTS.has(this.wordAt(at - 2) ?? '')) return false;
    const after = this.tok(h.core.end);
    return after === undefined || (after.type === 'sym' && after.text !== '%' && after.text !== '-' && after.text !== '–');
  }

  /**
   * "Rooney, at 16, became…", "At 16, he left school": "at" and a bare number set off by commas
   * after a name or opening the sentence give an age.
   */
  private atAge(i: number): boolean {
    const t = this.tok(i);
    if (t === undefined || t.text.length > 3 || this.wordAt(i - 1) !== 'at' || !this.spaced(i)) return false;
    const v = Number(t.text);
    if (v < 1 || v > 115 || !this.symAt(i + 1, ',') || !this.glued(i + 1)) return false;
    if (this.atSentenceStart(i - 1)) return true;
    const name = this.tok(i - 3);
    return this.symAt(i - 2, ',') && this.glued(i - 2) && this.spaced(i - 1) && name?.type === 'word' && isCapitalised(name.text);
  }

  /**
   * "Smith (44)", "Andy Cole (173)": a bracketed bare number after a name may be an age, a
   * tally or a squad number; too ambiguous to report.
   */
  private bracketedAfterName(start: number, end: number): boolean {
    if (!this.symAt(start - 1, '(') || !this.glued(start) || !this.symAt(end, ')') || !this.glued(end)) return false;
    const name = this.tok(start - 2);
    return name?.type === 'word' && isCapitalised(name.text);
  }

  /** "50 Cent", "15 Silvia Farina Elia (Italy)": a bare number before a name is part of it. */
  private beforeName(end: number): boolean {
    const next = this.tok(end);
    return next?.type === 'word' && this.spaced(end) && isCapitalised(next.text) && !MONTHS.has(next.text);
  }

  private listMarker(i: number): boolean {
    if (!this.atLineStart(i)) return false;
    const next = this.tok(i + 1);
    return next?.type === 'sym' && this.glued(i + 1) && (next.text === '.' || next.text === ')');
  }

  private atLineStart(i: number): boolean {
    const prev = this.tok(i - 1);
    const t = this.tok(i);
    if (t === undefined) return false;
    if (prev === undefined) return true;
    const gap = this.source.slice(prev.end, t.start);
    return gap.includes('\n');
  }
}

/** Finds the figures in a piece of text (a passage or a sentence). */
export function extractFigures(text: string): FigureMatch[] {
  return new Scanner(text).run();
}
