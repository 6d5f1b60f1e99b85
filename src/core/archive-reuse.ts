/**
 * A full reindex's archive, read back from the snapshot bytes the reindex worker built from scratch,
 * with the objects of the archive still serving put in wherever they hold exactly what was read
 * back: at BBC ×10 the two archives alive at once during the decode took the answering thread's
 * heap to 1.8–1.9 times its steady size. Where a whole frame's bytes are the old rows' encoding the
 * codec takes the old rows without decoding it; this is for the frames that differ. Every value
 * read is compared with the old object before the old one stands in for it (strings, numbers,
 * typed arrays' contents, keys and their order), so the archive that results is the fresh build,
 * value for value: an old object a bug or an incremental reindex got wrong is not equal to what the
 * fresh build holds, and is left behind.
 */
import type { IndexedArticle, IndexedPassage } from './archive.ts';
import { hasKeys } from './passage-codec.ts';

type Typed = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

function sameTyped(a: Typed, b: Typed): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  // Float64 compared by its bytes: NaN equals itself there, and -0 differs from 0, as Object.is has it.
  const x = a instanceof Float64Array ? new Uint32Array(a.buffer, a.byteOffset, 2 * a.length) : a;
  const y = b instanceof Float64Array ? new Uint32Array(b.buffer, b.byteOffset, 2 * b.length) : b;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * Whether `a` and `b` are the same value all the way down: primitives by `Object.is`, typed arrays
 * of one type by their contents, arrays element by element, other objects by their own keys in
 * order (and their prototype). What the snapshot codec writes and reads back (plain data) is all it needs to tell apart.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    return (
      ArrayBuffer.isView(a) &&
      ArrayBuffer.isView(b) &&
      !(a instanceof DataView) &&
      !(b instanceof DataView) &&
      sameTyped(a as Typed, b as Typed)
    );
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const x: readonly unknown[] = a;
    const y: readonly unknown[] = b;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i] ?? '';
    if (key !== keysB[i] || !sameValue(x[key], y[key])) return false;
  }
  return true;
}

/** `old` when it is the same value as `fresh` ({@link sameValue}), else `fresh`. */
function either<T>(fresh: T, old: T | undefined): T {
  return old !== undefined && sameValue(fresh, old) ? old : fresh;
}

/** What {@link Reuse} needs of the archive still serving: its rows, and an article's by id. */
export interface ReuseSource {
  readonly articles: readonly IndexedArticle[];
  readonly passages: readonly IndexedPassage[];
  article(id: string): IndexedArticle | undefined;
}

/**
 * Puts the old archive's objects into rows read back from a fresh build, where equal. An article's
 * old row is found by its id; a passage's is the old row at the same place in the same article.
 */
export class Reuse {
  readonly #old: ReuseSource;

  constructor(old: ReuseSource) {
    this.#old = old;
  }

  /**
   * `fresh`, or the old archive's row where it holds the same, or a row of `fresh`'s numbers with
   * the old one's fields where they hold the same (a row written out in the order the build and
   * the decoder write it, so every row has one hidden class).
   */
  article(fresh: IndexedArticle): IndexedArticle {
    const old = this.#old.article(fresh.article.id);
    if (old === undefined) return fresh;
    const article = either(fresh.article, old.article);
    const passages = either(fresh.passages, old.passages);
    const terms = either(fresh.terms, old.terms);
    const titleTerms = either(fresh.titleTerms, old.titleTerms);
    const reused = article === old.article && passages === old.passages && terms === old.terms && titleTerms === old.titleTerms;
    if (reused && fresh.ordinal === old.ordinal && hasKeys(fresh, Object.keys(old))) return old;
    return { ordinal: fresh.ordinal, article, passages, terms, titleTerms };
  }

  /** `fresh` (whose article row, read back already, is `article`), or the old archive's row or fields where they hold the same. */
  passage(fresh: IndexedPassage, article: IndexedArticle | undefined): IndexedPassage {
    const at = article?.passages.indexOf(fresh.ordinal) ?? -1;
    const oldArticle = article === undefined ? undefined : this.#old.article(article.article.id);
    const oldOrdinal = at < 0 ? undefined : oldArticle?.passages[at];
    const old = oldOrdinal === undefined ? undefined : this.#old.passages[oldOrdinal];
    if (old === undefined) return fresh;
    const passage = either(fresh.passage, old.passage);
    const termIds = either(fresh.termIds, old.termIds);
    const spans = either(fresh.spans, old.spans);
    const sentences = either(fresh.sentences, old.sentences);
    const figures = either(fresh.figures, old.figures);
    const { ordinal, original, pronoun } = fresh;
    const numbers = ordinal === old.ordinal && fresh.article === old.article && original === old.original && pronoun === old.pronoun;
    const fields =
      passage === old.passage && termIds === old.termIds && spans === old.spans && sentences === old.sentences && figures === old.figures;
    if (numbers && fields && hasKeys(fresh, Object.keys(old))) return old;
    return { ordinal, passage, article: fresh.article, original, termIds, spans, sentences, figures, pronoun };
  }
}
