import { fold, processTerm } from './text.ts';
import type { FigureKind } from './types.ts';

export type QuestionType = 'figure' | 'who' | 'where' | 'when' | 'which' | 'what' | 'why' | 'how' | 'other';

/** A term of the question, with the word it came from (for telling a reader what was not found). */
export interface QueryTerm {
  readonly term: string;
  readonly word: string;
  /** A number, or the last word of a name, in the question: an article that lacks it cannot answer. */
  readonly essential: boolean;
  /** For the last word of a name, the whole name as the question writes it ("World Cup"). */
  readonly name?: string;
}

export interface QuestionAnalysis {
  readonly text: string;
  readonly type: QuestionType;
  /** The figure kinds that answer it, most wanted first; empty when it does not ask for a figure. */
  readonly wanted: readonly FigureKind[];
  readonly terms: readonly QueryTerm[];
  /** The answer is a name (a person, place, organisation, title): who, where, which X, what country… */
  readonly wantsName: boolean;
}

export const MAX_QUESTION_LENGTH = 500;

// Words that frame a question rather than say what it is about. Dropped from the query.
const FRAME_WORDS = new Set([
  'what', 'whats', 'which', 'who', 'whos', 'whom', 'whose', 'when', 'where', 'why', 'how', 'many', 'much',
  'did', 'does', 'do', 'is', 'are', 'was', 'were', 'has', 'have', 'had', 'will', 'would', 'can', 'could',
  'tell', 'me', 'please', 'name', 'percentage', 'percent', 'proportion', 'year', 'date', 'day', 'old', 'age',
  'long', 'big', 'large', 'far', 'reportedly', 'according', 'exactly', 'roughly', 'approximately', 'kind',
]);

const TIME_UNITS = /^(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|seasons?)$/u;
const CHANGE_VERBS = /\b(?:rise|rose|risen|fall|fell|fallen|drop(?:ped)?|grow|grew|grown|jump(?:ed)?|slump(?:ed)?|climb(?:ed)?|increase[ds]?|decrease[ds]?|cut|shrink|shrank|gain(?:ed)?|lose|lost|slid|slide|plunge[ds]?|soar(?:ed)?)\b/u;
const MONEY_WORDS = /\b(?:cost|costs|price|priced|pay|paid|pays|spend|spent|lend|lent|loan|borrow(?:ed)?|raise[ds]?|fine[ds]?|fee|fees|salary|wage|profits?|loss(?:es)?|revenue|sales|turnover|debt|budget|fund(?:ing|s)?|invest(?:ed|ment)?|bid|offer|deal|worth|value[ds]?|bill|bonus|compensation|damages|grant|donat(?:e|ed|ion)|given|gave|earn(?:ed|s)?|gap|takeover|sold|sell|buy|bought)\b/u;
const DISTANCE_WORDS = /\b(?:race|distance|track|course|route|bridge|tunnel|road|runway|pipeline)\b/u;

/**
 * Works out which figure kinds a question asks for, most wanted first. The question's first
 * wh-phrase decides, so a later "when" in "Which song topped the chart when…" does not make it a date question.
 *
 * @example wantedKinds('How many officials are accused?') // ['count', 'score', 'quantity']
 */
export function wantedKinds(question: string): FigureKind[] {
  const folded = fold(question).replace(/[’']/gu, "'");
  const at = folded.search(/\b(?:who|whom|whose|what|which|when|where|why|how)\b/u);
  if (at < 0) return [];
  const q = folded.slice(at);
  const afterHowMany = /^how many (\w+)/u.exec(q)?.[1] ?? '';
  if (q.startsWith('how many')) return TIME_UNITS.test(afterHowMany) ? ['duration'] : ['count', 'score', 'quantity'];
  if (/^(?:what|which) (?:percentage|percent|proportion|share|fraction)\b|^what per ?cent\b/u.test(q)) return ['percent', 'quantity'];
  if (/^how (?:old|young)\b|^(?:at )?what age\b/u.test(q)) return ['age'];
  if (/^(?:what|which) (?:was |is |were )?(?:the )?(?:final )?(?:score|scoreline|result)\b|^what was the vote\b/u.test(q)) return ['score', 'count'];
  if (/^(?:what|which) year\b/u.test(q)) return ['year', 'date'];
  if (/^(?:what|which) (?:date|day|month)\b|^when\b/u.test(q)) return ['date', 'year'];
  if (/^how (?:long|little time|much time|soon|quickly)\b/u.test(q)) {
    return q.startsWith('how long') && DISTANCE_WORDS.test(q) ? ['quantity', 'duration'] : ['duration', 'quantity'];
  }
  if (/^how (?:much|far|big|large|high|low|heavy|fast|deep|tall|wide|small)\b/u.test(q)) {
    if (CHANGE_VERBS.test(q)) return ['percent', 'money', 'quantity'];
    if (/^how (?:far|high|fast|deep|tall|wide|heavy)\b/u.test(q) && !MONEY_WORDS.test(q)) return ['quantity', 'percent'];
    return ['money', 'quantity', 'percent', 'count'];
  }
  const measured = /^what(?:'s| is| was| are| were| will be)? (?:the |its |their |his |her )?(?:(?:total|annual|estimated|current|new|final|average|overall) )?(\w+)/u.exec(q)?.[1];
  const kinds = measured === undefined ? undefined : MEASURED_NOUNS.get(measured);
  if (kinds) return [...kinds];
  if (/^(?:what|which)\b/u.test(q) && MONEY_WORDS.test(q) && /\b(?:at|for|worth|value[ds]?|price|cost|fine|fee|gap|deal)\b/u.test(q)) {
    return ['money'];
  }
  return [];
}

// "What is the population of…": nouns that name a measure, and the figure kinds that give it.
const MEASURED_NOUNS: ReadonlyMap<string, readonly FigureKind[]> = new Map<string, readonly FigureKind[]>([
  ...['population', 'number', 'attendance', 'crowd', 'toll', 'tally', 'headcount', 'workforce', 'membership'].map((n) => [n, ['count', 'quantity']] as const),
  ...['cost', 'price', 'value', 'budget', 'salary', 'wage', 'revenue', 'turnover', 'profit', 'loss', 'debt', 'fine', 'fee', 'bill', 'deficit', 'surplus', 'valuation', 'income'].map(
    (n) => [n, ['money', 'percent', 'quantity']] as const,
  ),
  ...['rate', 'share', 'percentage', 'proportion', 'turnout', 'majority', 'growth', 'inflation', 'unemployment'].map((n) => [n, ['percent', 'quantity', 'count']] as const),
  ...['height', 'length', 'distance', 'area', 'size', 'weight', 'depth', 'width', 'speed', 'temperature', 'capacity'].map((n) => [n, ['quantity', 'count']] as const),
  ['age', ['age']],
  ['score', ['score', 'count']],
  ['scoreline', ['score']],
  ['date', ['date', 'year']],
  ['year', ['year', 'date']],
  ['duration', ['duration']],
]);

// Nouns after "what"/"which" whose answer is a proper name.
const NAMED_THINGS = new Set([
  'country', 'nation', 'city', 'town', 'village', 'state', 'county', 'province', 'region', 'island', 'continent',
  'company', 'firm', 'business', 'bank', 'airline', 'brand', 'team', 'club', 'side', 'band', 'group', 'party',
  'newspaper', 'paper', 'magazine', 'publication', 'network', 'channel', 'station', 'studio', 'label',
  'prize', 'award', 'trophy', 'title', 'film', 'movie', 'song', 'single', 'album', 'book', 'novel', 'show', 'programme',
  'program', 'series', 'play', 'musical', 'game', 'language', 'religion', 'church', 'university', 'college', 'school',
  'river', 'mountain', 'sea', 'ocean', 'lake', 'airport', 'stadium', 'museum', 'building', 'street', 'court', 'agency',
  'organisation', 'organization', 'department', 'ministry', 'minister', 'body', 'court', 'treaty', 'event', 'tournament',
  'competition', 'league', 'division', 'festival', 'ceremony', 'name', 'person', 'man', 'woman', 'player', 'singer',
  'actor', 'actress', 'director', 'leader', 'king', 'queen', 'president', 'member', 'minister', 'mp', 'chief', 'boss',
]);

const UNNAMED_THINGS = new Set(['type', 'kind', 'sort', 'way', 'part', 'direction', 'method', 'form', 'one', 'of']);

/** Whether the question asks for a name, judged from its first wh-word and the noun after it. */
function wantsName(question: string): boolean {
  const folded = fold(question);
  const match = /\b(who|whom|whose|where|which|what)\b(?:\s+(?:is|was|are|were)\s+the)?\s+([a-z]+)?/u.exec(folded);
  if (!match) return false;
  const [, wh, noun = ''] = match;
  if (wh === 'who' || wh === 'whom' || wh === 'whose' || wh === 'where') return true;
  const singular = noun.replace(/ies$/u, 'y').replace(/s$/u, '');
  // "Which" usually picks a named thing ("which BMW board member"), unless it asks for a sort of thing.
  if (wh === 'which') return !UNNAMED_THINGS.has(singular);
  return NAMED_THINGS.has(noun) || NAMED_THINGS.has(singular);
}

function questionType(question: string, wanted: readonly FigureKind[]): QuestionType {
  if (wanted.length > 0) return 'figure';
  const first = /\b(who|whom|whose|where|when|which|what|why|how)\b/u.exec(fold(question))?.[1];
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

const WORD = /(?:\p{L}\.){2,}|[$£€¥]?\p{N}+(?:[.,]\p{N}+)*\p{L}*%?|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/**
 * Analyses a question: its type, the figure kinds it wants, and its search terms with the
 * question's framing words dropped.
 *
 * Capitalised words in a row form a name ("Michael Howard", "Northern Rock"). Only a name's last
 * word is essential, because articles drop first names ("Mr Howard") but keep surnames; every
 * number in the question is essential too.
 *
 * @example analyseQuestion('How many people died in Syria?').terms.map((t) => t.term) // ['peopl', 'di', 'syria']
 */
export function analyseQuestion(question: string): QuestionAnalysis {
  const text = question.replace(/\s+/gu, ' ').trim();
  const wanted = wantedKinds(text);
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  // The term index of the name being read, where the name starts, and where its last word ended.
  let nameTerm = -1;
  let nameStart = -1;
  let nameEnd = -1;
  let first = true;
  const closeName = (): void => {
    const last = terms[nameTerm];
    if (last) terms[nameTerm] = { ...last, essential: true, name: text.slice(nameStart, nameEnd).replace(/['’]s$/u, '') };
    nameTerm = -1;
  };
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
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
      if (term === null || seen.has(term)) continue;
      seen.add(term);
      if (looksLikeName && word.length > 1) nameTerm = terms.length;
      terms.push({ term, word, essential: /^\p{N}/u.test(word) });
    }
    if (looksLikeName) nameEnd = match.index + raw.length;
    // A possessive ends a name: "Lyle's Iain Ferguson" names two things.
    if (/['’]s$/u.test(raw) && nameTerm >= 0) closeName();
  }
  if (nameTerm >= 0) closeName();
  return { text, type: questionType(text, wanted), wanted, terms, wantsName: wanted.length === 0 && wantsName(text) };
}
