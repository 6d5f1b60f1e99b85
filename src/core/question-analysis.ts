import { TIME_UNITS, WORD_UNITS } from './figures/lexicon.ts';
import { fold, processTerm } from './text.ts';
import type { FigureKind, Span } from './types.ts';
import { ARTICLES, AUXILIARIES, DETERMINERS, SUBJECT_PRONOUNS } from './word-lists.ts';

export type QuestionType = 'figure' | 'who' | 'where' | 'when' | 'which' | 'what' | 'why' | 'how' | 'other';

/** A term of the question, with the word it came from (for telling a reader what was not found). */
export interface QueryTerm {
  readonly term: string;
  readonly word: string;
  /** A number, or the last word of a name, in the question: an article that lacks it cannot answer. */
  readonly essential: boolean;
  /** For the last word of a name, the whole name as the question writes it ("World Cup"). */
  readonly name?: string;
  /**
   * For the last word of a name of three or more words, its initials ("NHRF" for "Northern Housing
   * Rights Forum"): news names an organisation in full once, then by its initials.
   */
  readonly acronym?: string;
  /**
   * The word stands in a clause that sets the scene rather than asks ("…, the month sales fell",
   * "…that criticised the minister"): the answer's article should have it, its sentence need not.
   */
  readonly background?: boolean;
  /**
   * The noun that names what sort of answer is wanted ("country" in "what country…"): the answer's
   * sentence names a country rather than saying "country".
   */
  readonly answerNoun?: boolean;
  /** The role a question about a person describes the person by ("minister" in "Who is the economics minister…"). */
  readonly roleNoun?: boolean;
  /** A verb that says little the question's type does not ("located" in "where is X located"): see {@link LIGHT_VERBS}. */
  readonly light?: boolean;
}

export interface QuestionAnalysis {
  readonly text: string;
  readonly type: QuestionType;
  /** The figure kinds that answer it, most wanted first; empty when it does not ask for a figure. */
  readonly wanted: readonly FigureKind[];
  readonly terms: readonly QueryTerm[];
  /** The answer is a name (a person, place, organisation, title): who, where, which X, what country… */
  readonly wantsName: boolean;
  /** The sort of name it asks for, when it asks for one. */
  readonly nameKind: NameKind | null;
  /** For other "what"/"which" questions, the noun the answer qualifies: see {@link headNounOf}. */
  readonly headNoun: string | null;
  /** The question asks for several names ("which countries…"): one name would be a wrong answer. */
  readonly wantsSeveral: boolean;
}

export const MAX_QUESTION_LENGTH = 500;

// Words that frame a question rather than say what it is about. Dropped from the query.
const FRAME_WORDS = new Set([
  'what',
  'whats',
  'which',
  'who',
  'whos',
  'whom',
  'whose',
  'when',
  'where',
  'why',
  'how',
  'many',
  'much',
  ...AUXILIARIES,
  'tell',
  'me',
  'please',
  'name',
  'percentage',
  'percent',
  'proportion',
  'year',
  'date',
  'day',
  'old',
  'age',
  'long',
  'big',
  'large',
  'far',
  'reportedly',
  'according',
  'exactly',
  'roughly',
  'approximately',
  'kind',
]);

const CHANGE_VERBS =
  /\b(?:rise|rose|risen|fall|fell|fallen|drop(?:ped)?|grow|grew|grown|jump(?:ed)?|slump(?:ed)?|climb(?:ed)?|increase[ds]?|decrease[ds]?|cut|shrink|shrank|gain(?:ed)?|lose|lost|slid|slide|plunge[ds]?|soar(?:ed)?)\b/u;
const MONEY_WORDS =
  /\b(?:cost|costs|price|priced|pay|paid|pays|spend|spent|lend|lent|loan|borrow(?:ed)?|raise[ds]?|fine[ds]?|fee|fees|salary|wage|profits?|loss(?:es)?|revenue|sales|turnover|debt|budget|fund(?:ing|s)?|invest(?:ed|ment)?|bid|offer|deal|worth|value[ds]?|bill|bonus|compensation|damages|grant|donat(?:e|ed|ion)|given|gave|earn(?:ed|s)?|gap|takeover|sold|sell|buy|bought)\b/u;
const DISTANCE_WORDS = /\b(?:race|distance|track|course|route|bridge|tunnel|road|runway|pipeline)\b/u;

/**
 * Works out which figure kinds a question asks for, most wanted first. The question's first
 * wh-phrase decides, so a later "when" in "Which song topped the chart when…" does not make it a date question.
 *
 * @example wantedKinds('How many nurses were suspended?') // ['count', 'score', 'quantity']
 */
export function wantedKinds(question: string): FigureKind[] {
  const q = mainWhPhrase(foldedQuestion(question));
  if (q === null) return [];
  const afterHowMany = /^how many (\w+)/u.exec(q)?.[1] ?? '';
  if (q.startsWith('how many')) {
    if (TIME_UNITS.has(afterHowMany)) return ['duration'];
    // "How many miles…" asks for a measure, which the figure reader files as a quantity.
    if (WORD_UNITS.has(afterHowMany)) return ['quantity', 'count'];
    return ['count', 'score', 'quantity'];
  }
  if (/^(?:what|which) (?:percentage|percent|proportion|share|fraction)\b|^what(?: per ?cent\b| ?%)/u.test(q))
    return ['percent', 'quantity'];
  if (/^how (?:old|young)\b|^(?:at )?what age\b/u.test(q)) return ['age'];
  if (/^(?:what|which) (?:was |is |were )?(?:the )?(?:final )?(?:score|scoreline|result)\b|^what was the vote\b/u.test(q))
    return ['score', 'count'];
  if (/^(?:what|which) (?:year|decade|century)\b/u.test(q)) return ['year', 'date'];
  if (/^(?:what|which) (?:date|day|month)\b|^when\b/u.test(q)) return ['date', 'year'];
  if (/^how (?:long|little time|much (?:more |extra |longer )?time|soon|quickly)\b/u.test(q)) {
    return q.startsWith('how long') && DISTANCE_WORDS.test(q) ? ['quantity', 'duration'] : ['duration', 'quantity'];
  }
  if (/^how (?:much|far|big|large|high|low|heavy|fast|deep|tall|wide|small)\b/u.test(q)) {
    if (CHANGE_VERBS.test(q)) return ['percent', 'money', 'quantity'];
    if (/^how (?:far|high|fast|deep|tall|wide|heavy)\b/u.test(q) && !MONEY_WORDS.test(q)) return ['quantity', 'percent'];
    return ['money', 'quantity', 'percent', 'count'];
  }
  const kinds = measuredKinds(q);
  if (kinds) return [...kinds];
  // Money words anywhere, unless the phrase asks for a name: "which city… the food price protests".
  if (
    /^(?:what|which)\b/u.test(q) &&
    MONEY_WORDS.test(q) &&
    /\b(?:at|for|worth|value[ds]?|price|cost|fine|fee|gap|deal)\b/u.test(q) &&
    nameKindOf(q) === null
  ) {
    return ['money'];
  }
  return [];
}

/** A question folded, with its apostrophes made one and a dropped one restored: "whats" is "what's". */
function foldedQuestion(question: string): string {
  return fold(question)
    .replace(/[’']/gu, "'")
    .replace(/\bwhats\b/gu, "what's");
}

/** A question word, and a comma, semicolon or dash before one: where a clause that asks opens. */
const WH_WORD = /\b(?:who|whom|whose|what|which|when|where|why|how)\b/u;
const CLAUSE_OPENING_WH = new RegExp(`(?:,|;|\\s[-–—]+)\\s*(?=${WH_WORD.source})`, 'gu');

/**
 * A noun phrase opened by a determiner, up to six words long ("the report on the new harbour wall
 * plans where…"), ending just before a wh-word: what a relative pronoun follows.
 */
const RELATIVE_HEAD = /\b(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your)\s+(?:[\p{L}\p{N}'-]+\s+){1,6}$/u;

/**
 * The question from its main wh-word on: the first, unless that is a "when" opening a clause of
 * its own ("When the band broke up, what did…": no auxiliary follows it), which the main question
 * follows after a comma; or unless the first is a relative pronoun inside the opening words that
 * set the scene ("the singer whose band split, how old was she…"), when the last clause after a
 * comma, semicolon or dash that opens with a wh-word is the question. Null when there is none.
 */
function mainWhPhrase(folded: string): string | null {
  const at = folded.search(WH_WORD);
  if (at < 0) return null;
  // Only a wh-word that follows a noun phrase can be a relative pronoun ("the singer whose…"): one
  // after a comma or dash opens the question itself ("According to the club, how many…"), as does
  // one after a preposition or an opening word ("At what age…", "So what…"), and "how" never is
  // one. Otherwise a relative clause further on (", which was…") would be read as the question.
  const relative = at > 0 && !folded.startsWith('how', at) && RELATIVE_HEAD.test(folded.slice(0, at));
  if (relative) {
    const asked = [...folded.matchAll(CLAUSE_OPENING_WH)].at(-1);
    if (asked?.index !== undefined && asked.index > at) return folded.slice(asked.index + asked[0].length);
  }
  const q = folded.slice(at);
  const clause =
    /^when (?!(?:did|does|do|is|are|was|were|will|would|has|have|had|can|could|should|might)\b)[^,?]*,\s*(?=(?:what|which|who|whom|whose|where|why|how)\b)/u.exec(
      q,
    );
  return clause ? q.slice(clause[0].length) : q;
}

/** The most words {@link measuredKinds} reads as one noun phrase. */
const MAX_MEASURE_PHRASE = 5;

/** Words that close the noun phrase a "what"/"which" opens, beside {@link PHRASE_END}'s. */
const MEASURE_PHRASE_END = new Set([...SUBJECT_PRONOUNS, 'per', 'about', 'under', 'over', 'than', 'when', 'after', 'before']);

/**
 * The figure kinds the noun phrase after "what"/"which" asks for by its head, the phrase's last
 * noun: "rate" in "what's the regional jobless rate in…", "score" in "what was the closing
 * score". Undefined when the head names no measure.
 */
function measuredKinds(q: string): readonly FigureKind[] | undefined {
  const words = /^(?:what|which)\b(.*)$/u.exec(q)?.[1]?.match(/[\p{L}\p{N}'-]+|[^\s\p{L}\p{N}'-]/gu) ?? [];
  const phrase: string[] = [];
  for (const word of words) {
    const bare = word.replace(/^'s$/u, 'is');
    if (phrase.length === 0 && (COPULA_OR_ARTICLE.has(bare) || DETERMINERS.has(bare) || bare === 'will' || bare === 'be')) continue;
    if (!/^[\p{L}\p{N}]/u.test(bare) || PHRASE_END.has(bare) || MEASURE_PHRASE_END.has(bare)) break;
    // A phrase this long without an end is not one noun phrase: no head can be told.
    if (phrase.length === MAX_MEASURE_PHRASE) return undefined;
    // A determiner inside means a verb came before it and ended the phrase: "which firm [paid] the…".
    if (DETERMINERS.has(bare)) {
      phrase.pop();
      break;
    }
    phrase.push(bare.replace(/'s$/u, ''));
  }
  const head = phrase.at(-1);
  return head === undefined ? undefined : (MEASURED_NOUNS.get(head) ?? MEASURED_NOUNS.get(singularOf(head)));
}

// "What is the population of…": nouns that name a measure, and the figure kinds that give it.
const MEASURED_NOUNS: ReadonlyMap<string, readonly FigureKind[]> = new Map<string, readonly FigureKind[]>([
  ...['population', 'number', 'attendance', 'crowd', 'toll', 'tally', 'headcount', 'workforce', 'membership'].map(
    (n) => [n, ['count', 'quantity']] as const,
  ),
  ...[
    'cost',
    'price',
    'value',
    'budget',
    'salary',
    'wage',
    'revenue',
    'turnover',
    'profit',
    'loss',
    'debt',
    'fine',
    'fee',
    'bill',
    'deficit',
    'surplus',
    'valuation',
    'income',
  ].map((n) => [n, ['money', 'percent', 'quantity']] as const),
  ...['rate', 'share', 'percentage', 'proportion', 'turnout', 'majority', 'growth', 'inflation', 'unemployment'].map(
    (n) => [n, ['percent', 'quantity', 'count']] as const,
  ),
  ...['height', 'length', 'distance', 'area', 'size', 'weight', 'depth', 'width', 'speed', 'temperature', 'capacity'].map(
    (n) => [n, ['quantity', 'count']] as const,
  ),
  ...['total', 'amount', 'sum'].map((n) => [n, ['money', 'count', 'quantity']] as const),
  ['age', ['age']],
  ['score', ['score', 'count']],
  ['scoreline', ['score']],
  ['date', ['date', 'year']],
  ['year', ['year', 'date']],
  ['duration', ['duration']],
]);

/** What sort of name a question asks for: a person, a place, or some other named thing. */
export type NameKind = 'person' | 'place' | 'thing';

// Head nouns after "what"/"which" whose answer is a proper name, by the sort of name.
const PERSON_NOUNS = new Set([
  'person',
  'man',
  'woman',
  'player',
  'singer',
  'actor',
  'actress',
  'director',
  'leader',
  'king',
  'queen',
  'president',
  'member',
  'minister',
  'mp',
  'chief',
  'boss',
  'economist',
  'analyst',
  'spokesman',
  'spokeswoman',
  'spokesperson',
  'executive',
  'official',
  'adviser',
  'advisor',
  'pundit',
  'host',
  'presenter',
  'chairman',
  'chairwoman',
  'candidate',
  'manager',
  'coach',
  'striker',
  'author',
  'writer',
  'composer',
  'artist',
  'founder',
  'creator',
  'owner',
  'lawyer',
  'judge',
  'politician',
  'peer',
  'star',
  'guitarist',
  'champion',
  'winner',
  'duke',
  'emperor',
  'pope',
  'bishop',
  'general',
  'commander',
  'ruler',
  'scientist',
  'inventor',
  'designer',
  'producer',
  'musician',
  'athlete',
  'footballer',
  'captain',
  'referee',
  'governor',
  'mayor',
  'senator',
  'secretary',
  'chancellor',
  'prince',
  'princess',
  'successor',
  'predecessor',
  'husband',
  'wife',
  'son',
  'daughter',
  'father',
  'mother',
  'brother',
  'sister',
  'fiancee',
  'partner',
]);
const PLACE_NOUNS = new Set([
  'country',
  'nation',
  'city',
  'town',
  'village',
  'state',
  'county',
  'province',
  'region',
  'island',
  'continent',
  'river',
  'mountain',
  'sea',
  'ocean',
  'lake',
  'coast',
  'coastline',
  'capital',
  'district',
  'port',
  'venue',
  'location',
  'place',
  'site',
  'airport',
  'stadium',
  'ground',
  'street',
  'area',
]);
const THING_NOUNS = new Set([
  'company',
  'firm',
  'business',
  'bank',
  'airline',
  'brand',
  'team',
  'club',
  'side',
  'band',
  'group',
  'party',
  'newspaper',
  'paper',
  'magazine',
  'publication',
  'network',
  'channel',
  'station',
  'studio',
  'label',
  'prize',
  'award',
  'trophy',
  'title',
  'film',
  'movie',
  'song',
  'single',
  'album',
  'book',
  'novel',
  'show',
  'programme',
  'program',
  'series',
  'play',
  'musical',
  'game',
  'language',
  'religion',
  'church',
  'university',
  'college',
  'school',
  'museum',
  'building',
  'court',
  'agency',
  'organisation',
  'organization',
  'department',
  'ministry',
  'body',
  'treaty',
  'event',
  'tournament',
  'competition',
  'league',
  'division',
  'festival',
  'ceremony',
  'name',
  'product',
  'system',
  'law',
  'act',
  'bill',
  'policy',
  'operation',
  'project',
  'scheme',
  'brand',
  'website',
  'site',
  'software',
  'console',
  'device',
]);

/** Words that end the noun phrase after "which"/"what": verbs, auxiliaries and prepositions. */
const PHRASE_END = new Set([
  ...AUXILIARIES,
  'should',
  'may',
  'might',
  'of',
  'in',
  'on',
  'at',
  'for',
  'from',
  'to',
  'with',
  'by',
  'that',
  'who',
  'which',
]);

const singularOf = (noun: string): string =>
  noun
    .replace(/ies$/u, 'y')
    .replace(/(?:ches|shes|sses|xes)$/u, (m) => m.slice(0, -2))
    .replace(/s$/u, '');

/**
 * The sort of name a question asks for, or null when it does not ask for a name. "Who" asks for a
 * person and "where" for a place; "which"/"what" ask for a name when the noun phrase they open ends
 * in a noun for a named thing ("which BMW board member", "what prize"), or, for "which", when it
 * carries a name itself ("which US rival"): "which level of education" does not ask for a name.
 */
export function nameKindOf(question: string): NameKind | null {
  return nameQuestion(question)?.kind ?? null;
}

/** The sort of name a question asks for and the noun that says so ("magazine" in "which magazine…"). */
function nameQuestion(question: string): { kind: NameKind; noun: string | null } | null {
  const match = /\b(who|whom|whose|where|which|what)\b((?:['’]s)?(?:\s+[\p{L}\p{N}'’&-]+){0,6})/iu.exec(question);
  if (!match) return null;
  const wh = (match[1] ?? '').toLowerCase();
  if (wh === 'who' || wh === 'whom' || wh === 'whose') return { kind: 'person', noun: roleNoun(match[2] ?? '') };
  if (wh === 'where') return { kind: 'place', noun: null };
  let kind: NameKind | null = null;
  let noun: string | null = null;
  let named = false;
  const words = (match[2] ?? '')
    .trim()
    .split(/\s+/u)
    .filter((w) => w.length > 0);
  for (const [i, word] of words.entries()) {
    const lower = fold(word).replace(/['’]s$/u, '');
    if ((i === 0 && COPULA_OR_ARTICLE.has(lower)) || (i === 1 && COPULA_OR_ARTICLE.has(lower) && kind === null)) continue;
    const capitalised = /^\p{Lu}/u.test(word);
    if (!capitalised && (PHRASE_END.has(lower) || lower.endsWith('ed'))) break;
    const singular = singularOf(lower);
    // The last noun of the phrase is its head: "which awards pundit" asks for a person.
    const found: NameKind | null = PERSON_NOUNS.has(singular)
      ? 'person'
      : PLACE_NOUNS.has(singular)
        ? 'place'
        : THING_NOUNS.has(singular) || THING_NOUNS.has(lower)
          ? 'thing'
          : null;
    if (found !== null) {
      kind = found;
      noun = word;
    } else if (capitalised) named = true;
  }
  if (kind !== null) return { kind, noun };
  return wh === 'which' && named ? { kind: 'thing', noun: null } : null;
}

const COPULA_OR_ARTICLE = new Set(['is', 'was', 'are', 'were', ...ARTICLES]);

/**
 * The role a "who is the…" question describes its answer by ("spokesman" in "Who's the union's
 * spokesman on…"): news names people beside their role ("union chairman Jane Doe", "the finance
 * minister, John Smith").
 */
function roleNoun(after: string): string | null {
  const words = after
    .trim()
    .split(/\s+/u)
    .filter((w) => w.length > 0);
  if (!COPULAS.has(fold(words[0] ?? '').replace(/^['’]/u, '')) && !/^['’]s$/u.test(words[0] ?? '')) return null;
  let role: string | null = null;
  for (const word of words.slice(1)) {
    const lower = fold(word).replace(/['’]s$/u, '');
    if (COPULA_OR_ARTICLE.has(lower) && role === null) continue;
    // After the role, a participle starts what the person did: "spokesman talking about…".
    if (PHRASE_END.has(lower) || (role !== null && /(?:ed|ing)$/u.test(lower))) break;
    if (PERSON_NOUNS.has(singularOf(lower))) role = word;
  }
  return role;
}
const NOT_HEADS = new Set(['else', 'one', 'ones', 'other', 'use', 'thing', 'things']);
const SORT_WORDS = new Set(['kind', 'kinds', 'type', 'types', 'sort', 'sorts', 'form', 'forms', 'style', 'variety']);

/**
 * The noun a "what"/"which" phrase asks about, when an auxiliary or the end of the question closes
 * the phrase: "roofs" in "What kind of roofs do the houses have?", "style" in "What is the
 * building's style?". The answer is often the word that qualifies that noun in the text: "flat
 * roofs", "a plain Georgian style".
 */
export function headNounOf(question: string): string | null {
  const match = /\b(which|what)\b((?:\s+[\p{L}\p{N}'’&-]+){0,6})\s*([?.!]?)\s*$|\b(which|what)\b((?:\s+[\p{L}\p{N}'’&-]+){0,6})/iu.exec(
    question,
  );
  if (!match) return null;
  const atEnd = match[1] !== undefined;
  const words = (match[2] ?? match[5] ?? '')
    .trim()
    .split(/\s+/u)
    .filter((w) => w.length > 0);
  const phrase: string[] = [];
  let closed = atEnd;
  for (const [i, word] of words.entries()) {
    const lower = fold(word);
    if (phrase.length === 0 && (COPULA_OR_ARTICLE.has(lower) || SORT_WORDS.has(lower) || lower === 'of')) continue;
    if (i > 0 && lower === 'of' && SORT_WORDS.has(fold(words[i - 1] ?? ''))) continue;
    if (PHRASE_END.has(lower)) {
      closed = true;
      break;
    }
    phrase.push(word);
  }
  if (!closed || phrase.length === 0 || phrase.length > 3) return null;
  const head = phrase.at(-1) ?? '';
  return /^\p{Ll}/u.test(head) && !/(?:ing|ed)$/u.test(head) && !NOT_HEADS.has(head) ? head : null;
}

function questionType(question: string, wanted: readonly FigureKind[]): QuestionType {
  if (wanted.length > 0) return 'figure';
  const first = /^(who|whom|whose|where|when|which|what|why|how)\b/u.exec(mainWhPhrase(foldedQuestion(question)) ?? '')?.[1];
  switch (first) {
    case 'who':
    case 'whom':
    case 'whose':
      return 'who';
    case 'where':
      return 'where';
    case 'when':
      return 'when';
    case 'which':
      return 'which';
    case 'what':
      return 'what';
    case 'why':
      return 'why';
    case 'how':
      return 'how';
    default:
      return 'other';
  }
}

/** The initials of a name of three or more capitalised words, or null: "Open Society Institute" → "OSI". */
export function acronymOf(name: string): string | null {
  const words = name.split(/[\s-]+/u).filter((w) => w.length > 0);
  if (words.length < 3 || !words.every((w) => /^\p{Lu}\p{Ll}/u.test(w))) return null;
  return words.map((w) => w[0] ?? '').join('');
}

const WH_WORDS = new Set(['who', 'whom', 'whose', 'what', 'whats', 'which', 'when', 'where', 'why', 'how']);
/** Conjunctions that always open a clause of their own. */
const CLAUSE_OPENERS = new Set(['when', 'while', 'whereas', 'although', 'though', 'because', 'if', 'once', 'whilst', 'unless']);
/** Words that open a clause when a verb follows ("after he left"), a phrase otherwise ("after the break"). */
const CLAUSE_OR_PHRASE = new Set(['after', 'before', 'since', 'until', 'as']);
const RELATIVE_PRONOUNS = new Set(['that', 'who', 'which']);
/** After these, "that" is a determiner ("on that Monday"), not a relative pronoun. */
const PREPOSITIONS = new Set([
  'on',
  'in',
  'at',
  'of',
  'for',
  'from',
  'to',
  'with',
  'by',
  'about',
  'over',
  'under',
  'into',
  'during',
  'like',
]);
const COPULAS = new Set(['is', 'was', 'are', 'were', 's']);
/** Verbs after which "that" opens what was said, not a relative clause. */
const REPORTING = new Set([
  'said',
  'say',
  'says',
  'told',
  'tell',
  'claimed',
  'claim',
  'think',
  'believe',
  'believes',
  'warned',
  'admitted',
  'argued',
  'announced',
  'reported',
  'show',
  'shows',
  'showed',
  'so',
]);
const FINITE_VERBS = new Set([
  'is',
  'was',
  'are',
  'were',
  'has',
  'had',
  'have',
  'did',
  'does',
  'went',
  'came',
  'got',
  'took',
  'gave',
  'left',
  'won',
  'lost',
  'made',
  'said',
  'hit',
  'put',
  'set',
  'began',
  'became',
  'fell',
  'rose',
  'grew',
  'sold',
  'bought',
  'paid',
  'told',
  'ran',
  'met',
  'led',
]);

interface Word {
  readonly lower: string;
  readonly start: number;
  readonly end: number;
  /** Whether a comma, dash or colon stands between this word and the one before. */
  readonly afterBreak: boolean;
}

/** Whether a finite verb (or a subject pronoun) follows within a few words: "after [he left]", "after [the band split up]". */
function clauseFollows(words: readonly Word[], i: number): boolean {
  for (let k = i + 1; k < Math.min(words.length, i + 6); k++) {
    const w = words[k]?.lower ?? '';
    if ((k === i + 1 && SUBJECT_PRONOUNS.has(w)) || FINITE_VERBS.has(w) || (w.endsWith('ed') && w.length > 4)) return true;
    if (words[k]?.afterBreak) return false;
  }
  return false;
}

/**
 * The spans of a question that set the scene rather than ask: a fronted phrase before the wh-word
 * ("According to the think tank, what year…", "The firm pulled out - what year…"), an appositive
 * ("…in the film, the singer's biopic?"), a clause after the question proper ("…drop on the day
 * when the pound fell?", "…, now that the council has backed off?") and a
 * relative clause, unless the question proper only names a role ("Who is the adviser that said…?").
 */
export function backgroundSpans(question: string): Span[] {
  const words: Word[] = [];
  let last = 0;
  for (const m of question.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.$£€%-]*/gu)) {
    const between = question.slice(last, m.index);
    words.push({
      lower: fold(m[0]).replace(/[’']/gu, ' ').split(' ')[0] ?? '',
      start: m.index,
      end: m.index + m[0].length,
      afterBreak: /[,;:–—]|\s-\s/u.test(between),
    });
    // "Who's" is "who is": keep the contraction as its own word.
    if (/^\p{L}+['’]s$/u.test(m[0]) && WH_WORDS.has(fold(m[0]).slice(0, -2)))
      words.push({ lower: 's', start: m.index + m[0].length, end: m.index + m[0].length, afterBreak: false });
    last = m.index + m[0].length;
  }
  const wh = words.findIndex((w) => WH_WORDS.has(w.lower));
  if (wh < 0) return [];
  const spans: Span[] = [];
  // A fronted phrase, cut off by a comma or a dash before the wh-word.
  for (let k = wh; k > 0; k--) {
    if (words[k]?.afterBreak) {
      spans.push({ start: words[0]?.start ?? 0, end: words[k - 1]?.end ?? 0 });
      break;
    }
  }
  // "Who is the X that…": the question proper only names a role, so the relative clause tells who.
  // Not so when a verb follows the copula ("What is the institute accused of, that…").
  const copularUntil = (k: number): boolean => {
    if (!COPULAS.has(words[wh + 1]?.lower ?? '')) return false;
    for (let j = wh + 2; j < k; j++)
      if (/(?:ed|ing)$/u.test(words[j]?.lower ?? '') || FINITE_VERBS.has(words[j]?.lower ?? '')) return false;
    return true;
  };
  let from = -1;
  let appositive = false;
  const close = (k: number): void => {
    if (from >= 0) spans.push({ start: words[from]?.start ?? 0, end: words[k]?.end ?? 0 });
    from = -1;
  };
  for (let k = wh + 2; k < words.length; k++) {
    const w = words[k];
    if (!w) break;
    if (from >= 0) {
      // An appositive ends at the next comma; a clause runs to the end.
      if (w.afterBreak && appositive) close(k - 1);
      else continue;
    }
    const previous = words[k - 1]?.lower ?? '';
    if (w.afterBreak && DETERMINERS.has(w.lower) && w.lower !== 'that') {
      from = k;
      appositive = true;
    } else if (CLAUSE_OPENERS.has(w.lower) || (w.lower === 'now' && words[k + 1]?.lower === 'that')) {
      from = k;
      appositive = false;
    } else if (CLAUSE_OR_PHRASE.has(w.lower) && clauseFollows(words, k)) {
      from = k;
      appositive = false;
    } else if (
      RELATIVE_PRONOUNS.has(w.lower) &&
      !copularUntil(k) &&
      !REPORTING.has(previous) &&
      !WH_WORDS.has(previous) &&
      !PREPOSITIONS.has(previous)
    ) {
      from = k;
      appositive = false;
    }
  }
  close(words.length - 1);
  return spans;
}

/**
 * Verbs a question uses to frame what it asks rather than to say what about: "where is X located",
 * "what is X known for", "what is X called". The answer's sentence seldom repeats them ("X is a
 * state in…", "the most famous work…"), so they count for less.
 */
export const LIGHT_VERBS: ReadonlySet<string> = new Set([
  'located',
  'situated',
  'based',
  'found',
  'known',
  'considered',
  'called',
  'named',
  'termed',
  'referred',
  'regarded',
  'described',
]);

const WORD = /(?:\p{L}\.){2,}|[$£€¥]?\p{N}+(?:[.,]\p{N}+)*\p{L}*%?|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/**
 * Limits on the work one question can cause, whatever its length (front ends refuse questions over
 * {@link MAX_QUESTION_LENGTH} long before these): only the first {@link MAX_ANALYSED_LENGTH}
 * characters are read, at most {@link MAX_QUERY_TERMS} distinct terms are searched, a word longer
 * than {@link MAX_TERM_LENGTH} is no term (no word is that long; a run of letters that is, is noise),
 * and only terms up to {@link MAX_FUZZY_TERM_LENGTH} are matched fuzzily, since the edit-distance
 * search grows with a term's length (a 60,000-letter word took 15 s and 3.6 GiB).
 */
export const MAX_ANALYSED_LENGTH = 10_000;
export const MAX_QUERY_TERMS = 32;
export const MAX_TERM_LENGTH = 40;
export const MAX_FUZZY_TERM_LENGTH = 20;

/**
 * Analyses a question: its type, the figure kinds it wants, and its search terms with the
 * question's framing words dropped.
 *
 * Capitalised words in a row form a name ("Michael Howard", "Northern Rock"). Only a name's last
 * word is essential, because articles drop first names ("Mr Howard") but keep surnames; every
 * number in the question is essential too.
 *
 * @example analyseQuestion('How many people did the storm kill?').terms.map((t) => t.term) // ['peopl', 'storm', 'kill']
 */
export function analyseQuestion(question: string): QuestionAnalysis {
  // Caps on the work, so any input is answered in bounded time (see the constants above).
  const text = question.slice(0, MAX_ANALYSED_LENGTH).replace(/\s+/gu, ' ').trim();
  const wanted = wantedKinds(text);
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  // The term index of the name being read, where the name starts, and where its last word ended.
  let nameTerm = -1;
  let nameStart = -1;
  let nameEnd = -1;
  let first = true;
  const background = backgroundSpans(text);
  const inBackground = (at: number): boolean => background.some((b) => at >= b.start && at < b.end);
  const closeName = (): void => {
    const last = terms[nameTerm];
    if (last) {
      const name = text.slice(nameStart, nameEnd).replace(/['’]s$/u, '');
      const acronym = acronymOf(name);
      // A name right after "which"/"what" sorts the answer ("Which TV channel…", "which Labour MP"):
      // the article need not repeat it, so it is not essential.
      const sortsTheAnswer = /\b(?:which|what)\s+$/iu.test(text.slice(0, nameStart));
      terms[nameTerm] = { ...last, essential: !sortsTheAnswer, name, ...(acronym === null ? {} : { acronym }) };
    }
    nameTerm = -1;
  };
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    if (terms.length >= MAX_QUERY_TERMS) break;
    if (raw.length > MAX_TERM_LENGTH) continue;
    const atStart = first;
    first = false;
    // A capital mid-question marks a name; so does one inside a word (iPhone, eBay).
    const looksLikeName = (!atStart && /^\p{Lu}/u.test(raw)) || /^\p{Ll}+\p{Lu}/u.test(raw);
    const joinsName = looksLikeName && nameTerm >= 0 && /^\s+$/u.test(text.slice(nameEnd, match.index));
    if (!joinsName && nameTerm >= 0) closeName();
    if (looksLikeName && !joinsName) nameStart = match.index;
    for (const piece of raw.includes('-') && !/^\p{N}/u.test(raw) ? raw.split('-') : [raw]) {
      const word = piece.replace(/^[$£€¥]/u, '').replace(/%$/u, '');
      if (FRAME_WORDS.has(fold(word).replace(/['’]/gu, ''))) continue;
      const term = processTerm(word);
      if (term === null) continue;
      const scene = inBackground(match.index);
      if (seen.has(term)) {
        // A word the question proper repeats from the scene is part of the question proper.
        const index = terms.findIndex((t) => t.term === term);
        const known = terms[index];
        if (known?.background === true && !scene) terms[index] = { ...known, background: false };
        continue;
      }
      seen.add(term);
      if (looksLikeName && word.length > 1) nameTerm = terms.length;
      const light = LIGHT_VERBS.has(fold(word));
      terms.push({
        term,
        word,
        essential: /^\p{N}/u.test(word),
        ...(scene ? { background: true } : {}),
        ...(light ? { light: true } : {}),
      });
    }
    if (looksLikeName) nameEnd = match.index + raw.length;
    // A possessive ends a name: "Lyle's Iain Ferguson" names two things.
    if (/['’]s$/u.test(raw) && nameTerm >= 0) closeName();
  }
  if (nameTerm >= 0) closeName();
  const named = wanted.length === 0 ? nameQuestion(text) : null;
  const nounTerm = named?.noun === null || named?.noun === undefined ? null : processTerm(named.noun.replace(/['’]s$/u, ''));
  const nameKind = named?.kind ?? null;
  const marked = terms.map((t) =>
    t.term === nounTerm && !t.essential ? (nameKind === 'person' ? { ...t, roleNoun: true } : { ...t, answerNoun: true }) : t,
  );
  const headNoun = wanted.length === 0 && nameKind === null ? headNounOf(text) : null;
  const noun = named?.noun === null || named?.noun === undefined ? '' : fold(named.noun);
  const wantsSeveral = noun.length > 3 && !noun.endsWith('ss') && singularOf(noun) !== noun;
  return { text, type: questionType(text, wanted), wanted, terms: marked, wantsName: nameKind !== null, nameKind, headNoun, wantsSeveral };
}
