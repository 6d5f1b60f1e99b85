/**
 * The figure lexicon: modifiers, currencies, units, month names and cue words, label and year
 * context words. Plain tables; the matchers decide what they mean in context.
 */
import { NUMBER_WORDS } from '../numbers.ts';
import { DETERMINERS, MONTH_NAMES } from '../word-lists.ts';
import { stemmer } from 'stemmer';

/**
 * How a modifier binds. "strong" ones ("more than") make a bare four-digit number a count; "weak"
 * ones ("over", "about") are dropped before a year; "between" needs an "and"; "age" makes an age.
 */
export type Strength = 'strong' | 'weak' | 'between' | 'age';

/** A modifier found before a number: how many words it takes and how it binds. */
export interface Modifier {
  readonly len: number;
  readonly strength: Strength;
}

/**
 * Verbs after which "over" or "under" is a preposition of place or topic rather than "more/less
 * than": a ball slotted over the bar, a row over money, costs spread over years. Compared by stem,
 * so every form of each verb counts ("slotted", "slots", "slotting").
 */
export const PREPOSITION_VERBS: readonly string[] = [
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

/** The stems of {@link PREPOSITION_VERBS}. */
export const PREPOSITION_VERB_STEMS: ReadonlySet<string> = new Set(PREPOSITION_VERBS.map((verb) => stemmer(verb)));

/** Pronouns that stand for one person: "she was 15" gives her age. */
export const PERSON_SUBJECTS: ReadonlySet<string> = new Set(['i', 'he', 'she']);

/** Modifiers that belong to a figure and are kept in its text. */
export const MODIFIERS: readonly (readonly [string, Strength])[] = [
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

/** The modifiers by their first word, longest first, so one lookup finds the candidates. */
export const MODIFIERS_BY_FIRST: ReadonlyMap<string, readonly (readonly [readonly string[], Strength])[]> = (() => {
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

/** Currency signs written before a number, and their ISO 4217 codes. */
export const CURRENCY_SIGNS: ReadonlyMap<string, string> = new Map([
  ['£', 'GBP'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['¥', 'JPY'],
]);

/** Letters written straight before "$": "US$5bn", "HK$3m". */
export const DOLLAR_PREFIXES: ReadonlyMap<string, string> = new Map([
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
export const CURRENCY_WORDS: ReadonlyMap<string, { readonly code: string; readonly minor?: true }> = new Map([
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

/**
 * The units of time a speed in metres is given per ("17m per second"), and the unit the speed is
 * written with. Not "per hour" or "per minute": "1m per hour" as often counts visits or downloads.
 */
export const SPEED_TIMES: ReadonlyMap<string, string> = new Map([
  ['second', 'second'],
  ['sec', 'second'],
]);

/** Units of time, singular and plural, and the plural a figure reports. */
export const TIME_UNITS: ReadonlyMap<string, string> = new Map([
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
export const WORD_UNITS: ReadonlyMap<string, string> = new Map([
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
export const ABBREVIATED_UNITS: ReadonlyMap<string, string> = new Map([
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
export const GLUED_ONLY_UNITS: ReadonlyMap<string, string> = new Map([
  ['C', '°C'],
  ['F', '°F'],
]);

/** Suffixes glued to a numeral that make it something other than a figure ("2nd", "3G", "9pm"). */
export const REFUSING_SUFFIXES: ReadonlySet<string> = new Set(['st', 'nd', 'rd', 'th', 'am', 'pm']);

/** Distances run, swum or raced in metres: "the 400m", "60m hurdles". */
export const METRE_EVENTS: ReadonlySet<number> = new Set([50, 60, 100, 110, 200, 400, 800, 1000, 1500, 3000, 5000, 10000]);

/** Words after "Nm" that make it metres rather than millions: "60m hurdles", "a 30m run". */
export const METRE_CONTEXT: ReadonlySet<string> = new Set([
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

/** Month names (as written, capitalised) and their numbers. */
export const MONTHS: ReadonlyMap<string, number> = new Map(MONTH_NAMES.map((name, i) => [name, i + 1]));

/** Abbreviations are names too often ("Jan", "Mar") to stand without a day number. */
export const MONTH_ABBREVIATIONS: ReadonlyMap<string, number> = new Map([
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
export const MONTH_CUES: ReadonlySet<string> = new Set([
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
export const LABEL_WORDS: ReadonlySet<string> = new Set([
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
export const RANK_WORDS: ReadonlySet<string> = new Set(['last', 'first', 'top', 'bottom', 'final']);

/** Hyphenated prefixes that may sit on a year: "mid-2005", "pre-1990". */
export const YEAR_PREFIXES: ReadonlySet<string> = new Set(['mid', 'pre', 'post', 'early', 'late', 'near']);

/** Nouns after a four-digit number that show it is a year ("2003 results"), not a count. */
export const YEAR_NOUNS: ReadonlySet<string> = new Set([
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
export const YEAR_CONTEXT: ReadonlySet<string> = new Set([
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
export const EARLY_YEAR_CUES: ReadonlySet<string> = new Set(['in', 'since', 'until', 'till', 'circa', 'c', 'during', 'ad']);

/** Prepositions that make "the 10th century" a time: "in the 10th century", "by the 16th century". */
export const CENTURY_CUES: ReadonlySet<string> = new Set([
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

/** Words that may sit between "the" and a century: "the late 16th century". */
export const CENTURY_QUALIFIERS: ReadonlySet<string> = new Set(['early', 'mid', 'late']);

/** Parts of a period: "the first half of the 10th century". */
export const TIME_SPANS: ReadonlySet<string> = new Set([
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

/**
 * Words after "a year", "a week"… that make it a time before or after, not a rate: "up from $393m a
 * year earlier" is a figure of then, not of every year.
 */
export const TIME_SHIFT_WORDS: ReadonlySet<string> = new Set(['earlier', 'ago', 'later', 'previously']);

/**
 * Words after "a year", "a week"… that make it a time before or after only where a clause or a
 * noun phrase with its determiner follows ("£6m a week before the sale", "a year after it opened");
 * before a bare noun the money is still a rate: "£30,000 a year before tax".
 */
export const TIME_SHIFT_PREPOSITIONS: ReadonlySet<string> = new Set(['before', 'after']);

/** Words that follow "a"/"per" to make a rate of a money figure: "$50 a barrel". */
export const RATE_WORDS: ReadonlySet<string> = new Set([
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

/** Plural nouns that do not end in "s": a counted noun may be one. */
export const IRREGULAR_PLURALS: ReadonlySet<string> = new Set([
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

/** Capitalised plurals that name peoples and groups, so they can be counted: "5 million Kurds". */
export const PLURAL_NAMES: ReadonlySet<string> = new Set([
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
export const MODEL_NUMBER_OPENERS: ReadonlySet<string> = new Set([...DETERMINERS, 'new']);

/** Symbols after which a capitalised word starts a sentence. */
export const SENTENCE_BREAKS: ReadonlySet<string> = new Set([
  '.',
  '!',
  '?',
  '"',
  '“',
  '”',
  '‘',
  '’',
  "'",
  '(',
  ':',
  ';',
  '—',
  '–',
  '-',
  '…',
]);

/** Hyphen and en dash, as they join ranges, compounds and scores. */
export const HYPHENS: ReadonlySet<string> = new Set(['-', '–']);

/** Symbols that, glued to a numeral, make it part of a code, time or fraction. */
export const CODE_SYMBOLS: ReadonlySet<string> = new Set(['/', ':', '#', '+', '^', '@', '&', '*', '_', '=', '\\', '|', '~']);

/** Words that can open a spelled-out number or fraction: "a million", "half of", "tens of". */
export const NUMBER_OPENERS: ReadonlySet<string> = new Set([...NUMBER_WORDS, 'a', 'an', 'half', 'tens']);

/** Lower-case words that can open a figure; any other word is skipped without matching. */
export const OPENING_WORDS: ReadonlySet<string> = new Set([...MODIFIERS_BY_FIRST.keys(), ...MONTH_CUES, ...NUMBER_OPENERS]);

/**
 * Words between a number and its unit of time that qualify the span without changing it: "three
 * working days", "five consecutive years", "two more weeks", "30 man hours".
 */
export const TIME_QUALIFIERS: ReadonlySet<string> = new Set([
  'working',
  'business',
  'trading',
  'calendar',
  'consecutive',
  'successive',
  'straight',
  'full',
  'more',
  'further',
  'extra',
  'additional',
  'long',
  'man',
  'person',
  'human',
]);
