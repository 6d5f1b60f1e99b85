/**
 * The core's shared word lists, one per meaning, written as the words stand in text (lower case
 * unless the case matters). A list that is compared with search terms is turned into terms where it
 * is used, with `terms()` from `text.ts`, so it can never drift from the index's stemming; nothing
 * here is hand-stemmed. This file imports nothing of the core, so every module can import it.
 */
import { eng as englishStopWords } from 'stopword';

/** Search stop words: dropped from search terms, so they neither match nor count (`text.ts`). */
export const SEARCH_STOP_WORDS: ReadonlySet<string> = new Set([
  ...englishStopWords,
  // Words the stock list misses that carry no meaning in news questions.
  'its',
  "it's",
  'also',
  'just',
  'yet',
  'ever',
  'per',
  'via',
  'upon',
  'onto',
  'whose',
  'whom',
  'does',
  'doing',
  'done',
  'say',
  'says',
  'told',
  'tell',
  'according',
  'going',
  'go',
  'went',
  'so',
  // Contractions, as they stand once the apostrophe is gone.
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'dont',
  'doesnt',
  'didnt',
  'wont',
  'wouldnt',
  'cant',
  'couldnt',
  'shouldnt',
  'hasnt',
  'havent',
  'hadnt',
  'im',
  'ive',
  'youre',
  'theyre',
  'weve',
  'theyve',
  'hes',
  'shes',
]);

/**
 * Words that are never a noun or part of a name: function words, time words and common verbs. A
 * figure's counted noun stops at one ("rose 2% to $11.1bn" must not read "to" as a noun, nor "500
 * has" make "has" a plural), and a capitalised one before a number is no label ("The 2004…").
 */
export const NOT_NOUNS: ReadonlySet<string> = new Set(
  (
    "a an the this that these those its it it's their his her our my your some any all each every " +
    'both either neither no not nor of in on at to from by for with over under into onto than as ' +
    'per between since until till after before during against through across about around ' +
    'among amongst within without off out up down upon via towards toward beyond behind above ' +
    'below near and or but so yet while when whereas whether if because although though unless ' +
    'once then he she they we i you who whom whose which what where why how is are was ' +
    'were be been being has have had having will would could should may might must can shall do ' +
    'does did done said says say told tells according also only just still even now ago ' +
    'last next earlier later more less most least much many few several such same other another ' +
    'times time year years month months week weeks day days including include includes means ' +
    'makes made remains seems comes goes gets puts takes gives shows leaves looks needs wants ' +
    'marks represents stands becomes runs plus minus versus vs always perhaps sometimes ' +
    'nevertheless besides afterwards thus hence yes cent percent ' +
    'alone altogether apiece respectively instead too very really already almost nearly ' +
    'again away back here there today yesterday tomorrow tonight ' +
    // Common verbs that do not end in "-ed", so a noun phrase does not run into its predicate:
    // "three quarters of the vote went to him".
    'went came got took gave saw fell rose grew won lost paid sold bought left kept held put set ' +
    'ran began became felt thought knew found brought spent cut hit led met sent built wrote ' +
    'use go think want live own expect believe know see get make take give pay buy sell ' +
    'come feel find keep hold run'
  ).split(' '),
);

/**
 * Nouns that end as a past tense ("-ed") or an adverb ("-ly") do, so that a noun phrase read by
 * those endings does not stop at them: "how many royal family members", "how many hospital beds".
 */
export const NOUNS_WITH_VERB_ENDINGS: ReadonlySet<string> = new Set(
  (
    'family families supply supplies assembly assemblies rally rallies ally allies reply replies ' +
    'anomaly anomalies monopoly monopolies butterfly butterflies fly jelly lily belly bully bullies ' +
    'bed red seed speed breed shed need creed deed feed weed reed hundred'
  ).split(' '),
);

/** Articles: "the", "a", "an". */
export const ARTICLES: readonly string[] = ['the', 'a', 'an'];

/** Possessive determiners: "his", "their"… ("her" is also an object pronoun). */
export const POSSESSIVE_DETERMINERS: readonly string[] = ['my', 'your', 'his', 'her', 'its', 'our', 'their'];

/** Demonstratives: "this", "that", "these", "those" (each also a pronoun). */
export const DEMONSTRATIVES: readonly string[] = ['this', 'that', 'these', 'those'];

/** Determiners: the words that open a noun phrase before any adjective ("the", "his", "those"). */
export const DETERMINERS: ReadonlySet<string> = new Set([...ARTICLES, ...POSSESSIVE_DETERMINERS, ...DEMONSTRATIVES]);

/** Subject pronouns: a verb follows them, so one opens a clause ("after [he left]"). */
export const SUBJECT_PRONOUNS: ReadonlySet<string> = new Set(['i', 'you', 'he', 'she', 'it', 'we', 'they']);

/** Object pronouns: a noun phrase ends at one ("a third of them read" is about "them"). */
export const OBJECT_PRONOUNS: ReadonlySet<string> = new Set(['me', 'you', 'him', 'her', 'it', 'us', 'them']);

/** The months' names, January first: month n is `MONTH_NAMES[n - 1]`. */
export const MONTH_NAMES: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The days of the week's names, Monday first. */
export const WEEKDAY_NAMES: readonly string[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Titles written before a person's name ("Mr Demel", "President Bush"): part of a name, never one alone. */
export const NAME_TITLES: readonly string[] = [
  'Mr',
  'Mrs',
  'Ms',
  'Miss',
  'Dr',
  'Sir',
  'Dame',
  'Lord',
  'Lady',
  'King',
  'Queen',
  'Prince',
  'Princess',
  'Duke',
  'Duchess',
  'Earl',
  'Pope',
  'Saint',
  'St',
  'President',
  'Chancellor',
  'Minister',
  'Secretary',
  'Senator',
  'Governor',
  'General',
  'Captain',
  'Judge',
  'Bishop',
  'Archbishop',
  'Rev',
  'Professor',
  'Prof',
  'Emperor',
  'Sheikh',
  'MP',
  'Chairman',
  'Chief',
];

/** Auxiliary and modal verbs a question is framed with ("did", "is", "could"): they never say what it is about. */
export const AUXILIARIES: readonly string[] = [
  'did',
  'does',
  'do',
  'is',
  'are',
  'was',
  'were',
  'has',
  'have',
  'had',
  'will',
  'would',
  'can',
  'could',
];

/**
 * Words by which a question asks for the earlier value of a change ("what was it before", "up from
 * what"): the old value of "from 30% to 18%" then fits as well as the new one (rank-features.ts).
 */
export const EARLIER_VALUE_WORDS: readonly string[] = [
  'from',
  'before',
  'previous',
  'previously',
  'earlier',
  'originally',
  'initially',
  'prior',
  'used to',
];
