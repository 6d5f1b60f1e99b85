/**
 * The archive snapshot's byte format, in one place: a new per-passage or per-article field is one
 * line in {@link PASSAGE_COLUMNS} or {@link ARTICLE_COLUMNS} (the compiler insists), and a change
 * of meaning changes {@link SNAPSHOT_VERSION} by itself.
 *
 * A snapshot is `FDSNAP`, one byte of encoding, the version (uint32), a checksum of the payload,
 * a spare byte, then the payload: a run of frames, each its length and its value's length (uint32s),
 * one msgpack or JSON value (both kept so they can be measured), and in msgpack the value's typed
 * arrays as raw bytes, aligned, after it: they are read back as views into the file's bytes, not
 * copied, and no typed array is made per value but those views. Frames are small (a few hundred passages,
 * some thousands of postings), so a writer can let questions in between them: the snapshot written
 * after a reindex never holds up answering for long. Per-passage arrays are stored column-wise, one
 * contiguous typed array per field and frame, and read back as views into it: no per-passage copies.
 */
import { crc32 } from 'node:zlib';
import { Packr } from 'msgpackr';
import {
  Archive,
  type ArchiveParts,
  type ArchiveStats,
  type IndexedArticle,
  type IndexedPassage,
  type VocabularyParts,
} from './archive.ts';
import { snapshotVersion } from './snapshot-version.ts';
import { decodePassageTexts, encodePassageTexts, PartCounter, type PassageTexts } from './passage-codec.ts';
import { checkPostings, PostingsIndex, type PostingsData } from './postings-index.ts';
import { Reuse, sameValue } from './archive-reuse.ts';
import type { Figure, Passage, Problem, Span } from './types.ts';

/**
 * The format version: derived from the core's own code ({@link snapshotVersion}), so any change to
 * how an archive is worked out makes an older snapshot a rebuild, never a misread.
 */
export const SNAPSHOT_VERSION = snapshotVersion();

const MAGIC = Buffer.from('FDSNAP', 'latin1');
/** Bytes of the checksum ({@link BodyChecksum}). */
const CHECKSUM_BYTES = 4;
/** Bytes before the frames: magic, encoding, version, checksum, and one spare so frames start on 8 bytes. */
export const HEADER_BYTES = MAGIC.length + 1 + 4 + CHECKSUM_BYTES + 1;

/**
 * The running checksum of a snapshot's body: a CRC-32 (zlib's), which finds a damaged or cut file;
 * a snapshot lives in the bot's own data folder, so nobody forges one. Over the 250 MB of BBC ×10
 * it took 0.1–0.2 s where SHA-256 took 0.3 s (a hash of words in JavaScript, 0.1 s once compiled,
 * took 1.4 s the one time a start runs it, before the compiler had got to it).
 */
export class BodyChecksum {
  #value = 0;

  update(bytes: Uint8Array): this {
    this.#value = crc32(bytes, this.#value);
    return this;
  }

  digest(): Buffer {
    const out = Buffer.alloc(CHECKSUM_BYTES);
    out.writeUInt32BE(this.#value >>> 0, 0);
    return out;
  }
}

export type SnapshotEncoding = 'msgpack' | 'json';
const ENCODING_BYTE: Record<SnapshotEncoding, number> = { msgpack: 1, json: 2 };

/** What the corpus folder held when the archive was built: one line per file, article or problem. */
export interface FileFingerprint {
  /** Path relative to the corpus folder, with `/` separators. */
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The article's content hash, or null for a file that could not be loaded. */
  readonly hash: string | null;
}

/** A built archive with what it was built from. */
export interface Snapshot {
  /** The corpus folder's absolute path: a snapshot of one folder never stands in for another. */
  readonly root: string;
  readonly archive: Archive;
  readonly files: readonly FileFingerprint[];
  readonly problems: readonly Problem[];
}

/** Why a snapshot file was not used: the caller rebuilds and says so in the log. */
export class SnapshotRejected extends Error {
  override readonly name = 'SnapshotRejected';
}

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;
interface TypedArrayType<T extends TypedArray> {
  new (length: number): T;
  from(values: ArrayLike<number>): T;
  readonly name: string;
}

/** How one field of every passage (or article) is stored: all rows' values in one piece of data. */
interface Column<T> {
  encode(values: readonly T[]): unknown;
  decode(data: unknown, rows: number): T[];
}

function fail(what: string): never {
  throw new SnapshotRejected(`the snapshot's ${what} is malformed`);
}

function typedFrom<T extends TypedArray>(type: TypedArrayType<T>, data: unknown): T {
  if (data instanceof type) return data;
  if (Array.isArray(data)) return type.from(data as number[]);
  return fail(`${type.name} column`);
}

/** One number per row. */
const int: Column<number> = {
  encode: (values) => Int32Array.from(values),
  decode: (data, rows) => {
    const column = typedFrom(Int32Array, data);
    if (column.length !== rows) fail('number column');
    return Array.from(column);
  },
};

/** One typed array per row, stored as one typed array and row offsets; read back as views. */
function typed<T extends TypedArray>(type: TypedArrayType<T>): Column<T> {
  return {
    encode(values) {
      const offsets = new Uint32Array(values.length + 1);
      values.forEach((v, i) => (offsets[i + 1] = (offsets[i] ?? 0) + v.length));
      const all = new type(offsets[values.length] ?? 0);
      values.forEach((v, i) => {
        all.set(v, offsets[i]);
      });
      return [offsets, all];
    },
    decode(data, rows) {
      if (!Array.isArray(data) || data.length !== 2) fail(`${type.name} column`);
      const offsets = typedFrom(Uint32Array, data[0]);
      const all = typedFrom(type, data[1]);
      if (offsets.length !== rows + 1 || offsets[rows] !== all.length) fail(`${type.name} column`);
      return Array.from({ length: rows }, (_, i): T => {
        const view = all.subarray(offsets[i], offsets[i + 1]);
        return view as T; // subarray of a T is a T.
      });
    },
  };
}

/** Plain values (objects, strings, arrays of them), stored as they are. */
function plain<T>(): Column<T> {
  return {
    encode: (values) => values,
    decode: (data, rows) => (Array.isArray(data) && data.length === rows ? (data as T[]) : fail('value column')),
  };
}

/** A list of numbers per row. */
const numbers: Column<readonly number[]> = {
  encode: (values) => typed(Int32Array).encode(values.map((v) => Int32Array.from(v))),
  decode: (data, rows) =>
    typed(Int32Array)
      .decode(data, rows)
      .map((v) => Array.from(v)),
};

type Columns<T, Apart extends keyof T = never> = { readonly [K in Exclude<keyof T, 'ordinal' | Apart>]-?: Column<T[K]> };

/** A passage's fields stored apart, as numbers ({@link encodePassageTexts}). */
type PassageApart = 'passage' | 'sentences' | 'figures';

/** How each field of a passage is stored. The ordinal is the row number. */
const PASSAGE_COLUMNS: Columns<IndexedPassage, PassageApart> = {
  article: int,
  original: int,
  termIds: typed(Int32Array),
  spans: typed(Uint16Array),
  pronoun: int,
};

/** How each field of an article is stored. The ordinal is the row number. */
const ARTICLE_COLUMNS: Columns<IndexedArticle> = {
  article: plain(),
  passages: numbers,
  terms: typed(Int32Array),
  titleTerms: typed(Int32Array),
};

function encodeColumns<T, A extends keyof T>(columns: Columns<T, A>, rows: readonly T[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, column] of Object.entries<Column<unknown>>(columns)) {
    out[name] = column.encode(rows.map((row) => row[name as keyof T]));
  }
  return out;
}

/** Rows decoded from one frame's columns, numbered from `first`. */
function decodeColumns<T, A extends keyof T = never>(columns: Columns<T, A>, data: unknown, rows: number, first: number): Omit<T, A>[] {
  if (typeof data !== 'object' || data === null) fail('table');
  const record = data as Record<string, unknown>;
  const decoded = Object.entries<Column<unknown>>(columns).map(([name, column]) => [name, column.decode(record[name], rows)] as const);
  return Array.from({ length: rows }, (_, row) => {
    const values: Record<string, unknown> = { ordinal: first + row };
    for (const [name, column] of decoded) values[name] = column[row];
    return values as Omit<T, A>; // every field but those apart is set: Columns<T, A> names them all.
  });
}

/** Rows of each table per frame: each frame encodes in a few milliseconds. */
const ROWS_PER_FRAME = { articles: 80, passages: 150, words: 10_000, files: 2_000 } as const;
/** Postings of the passage index per frame: flat arrays, copied in a few milliseconds. */
const PASSAGE_POSTINGS_PER_FRAME = 500_000;

/** The first frame: what the rest are counted against. */
interface HeadFrame {
  kind: 'head';
  stats: Omit<ArchiveStats, 'builtAt'> & { builtAt: string };
  articleCount: number;
  passageCount: number;
  wordCount: number;
  fileCount: number;
  vocabulary: { passageDf: Int32Array; titleDf: Int32Array; midSentence: Int32Array; capitalised: Int32Array };
  root: string;
  problems: readonly Problem[];
  /** Articles the build left out, and why. */
  archiveProblems: readonly Problem[];
}

type Frame =
  | HeadFrame
  | { kind: 'files'; files: readonly FileFingerprint[] }
  | { kind: 'words'; words: readonly string[] }
  | { kind: 'articles'; rows: number; columns: Record<string, unknown> }
  | { kind: 'passages'; rows: number; columns: Record<string, unknown>; texts: PassageTexts }
  | PassageIndexHead
  | { kind: 'passagePostings'; docs: Int32Array; freqs: Uint16Array | Uint32Array };

/** The passage index's counts, field lengths and where each term's postings start; the postings follow in frames. */
interface PassageIndexHead {
  kind: 'passageIndexHead';
  documentCount: number;
  totals: [number, number];
  lengths: Uint32Array;
  starts: Uint32Array;
  postings: number;
  /** Whether term frequencies need 32 bits. */
  wide: boolean;
}

// Records with repeated keys (figures, passages) are written once as a structure, then as values.
const packr = new Packr({ useRecords: true, moreTypes: true });
const EMPTY = packr.pack(null);

function* slices<T>(rows: readonly T[], size: number): Generator<readonly T[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

/** Typed arrays a frame's raw section holds, by code. */
const RAW_TYPES = [Int32Array, Uint32Array, Uint16Array, Uint8Array, Float64Array] as const;

/** Where a typed array went: its type's code in {@link RAW_TYPES}, its offset in the raw section, its length. */
interface RawRef {
  $raw: [number, number, number];
}

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * `value` with each typed array replaced by a {@link RawRef} to `raw`, where it is appended (on 8
 * bytes); objects and arrays without typed arrays come back as they are, not copied.
 */
function withRawRefs(value: unknown, raw: { arrays: TypedArray[]; bytes: number }): unknown {
  if (ArrayBuffer.isView(value)) {
    const code = RAW_TYPES.findIndex((type) => value instanceof type);
    if (code < 0) throw new Error('a snapshot holds only Int32, Uint32, Uint16, Uint8 and Float64 arrays');
    const array = value as TypedArray; // one of RAW_TYPES, just found.
    const ref: RawRef = { $raw: [code, raw.bytes, array.length] };
    raw.arrays.push(array);
    raw.bytes = align8(raw.bytes + array.byteLength);
    return ref;
  }
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    let out: unknown[] | null = null;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const replaced = withRawRefs(item, raw);
      if (replaced !== item) (out ??= [...items])[i] = replaced;
    }
    return out ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    let out: Record<string, unknown> | null = null;
    for (const [key, item] of Object.entries(value)) {
      const replaced = withRawRefs(item, raw);
      if (replaced !== item) (out ??= { ...value })[key] = replaced;
    }
    return out ?? value;
  }
  return value;
}

/** `value` with each {@link RawRef} replaced by a view of its typed array in `raw` (a copy where `raw` is not aligned for it). */
function withRawArrays(value: unknown, raw: Buffer): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) value[i] = withRawArrays(item, raw);
    }
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const ref = record.$raw;
  if (Array.isArray(ref)) {
    const [code, offset, length] = ref as unknown[];
    const type = RAW_TYPES[typeof code === 'number' ? code : -1];
    if (type === undefined || typeof offset !== 'number' || typeof length !== 'number') fail('raw array');
    const bytes = length * type.BYTES_PER_ELEMENT;
    if (offset < 0 || length < 0 || offset + bytes > raw.length) fail('raw array');
    const start = raw.byteOffset + offset;
    // A Buffer read from a file, or handed over by the reindex worker, sits on an ArrayBuffer.
    const buffer = raw.buffer as ArrayBuffer;
    if (start % type.BYTES_PER_ELEMENT === 0) return new type(buffer, start, length);
    return new type(buffer.slice(start, start + bytes));
  }
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === 'object' && item !== null) record[key] = withRawArrays(item, raw);
  }
  return record;
}

/**
 * Numbers JSON has no notation for, by the tag JSON carries them as, `{"$number": "NaN"}`: it
 * would write NaN and the infinities as null and -0 as 0, which read back as 0 (a figure's value,
 * say).
 */
const JSON_NUMBER_TAG = '$number';
const TAGGED_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['-0', -0],
]);

/** JSON.stringify's replacer: typed arrays as plain arrays, and {@link TAGGED_NUMBERS} tagged. */
function toJsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { [JSON_NUMBER_TAG]: Object.is(value, -0) ? '-0' : String(value) };
  }
  return ArrayBuffer.isView(value) ? Array.from(value as Float64Array) : value;
}

/** JSON.parse's reviver: a tagged number ({@link toJsonValue}) as the number again. */
function fromJsonValue(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const tagged = (value as Record<string, unknown>)[JSON_NUMBER_TAG];
  const number = typeof tagged === 'string' && Object.keys(value).length === 1 ? TAGGED_NUMBERS.get(tagged) : undefined;
  return number ?? value;
}

/** A JSON frame's value. The reviver, which costs a call per value, only for a frame that holds a tagged number. */
function parseJsonFrame(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  return text.includes(`"${JSON_NUMBER_TAG}"`) ? JSON.parse(text, fromJsonValue) : JSON.parse(text);
}

/**
 * A frame's bytes: its length and its value's length, the value (msgpack with its typed arrays
 * as raw bytes after it, or JSON with them as plain arrays), padded to 8 bytes so the next
 * frame's raw arrays are aligned too.
 */
function packFrame(value: Frame, encoding: SnapshotEncoding, alloc: FrameAlloc = (size) => Buffer.alloc(size)): Buffer {
  const raw = { arrays: [] as TypedArray[], bytes: 0 };
  const bytes = encoding === 'msgpack' ? packr.pack(withRawRefs(value, raw)) : Buffer.from(JSON.stringify(value, toJsonValue), 'utf8');
  const rawStart = align8(8 + bytes.length);
  const out = alloc(align8(rawStart + raw.bytes));
  out.writeUInt32BE(out.length - 4, 0);
  out.writeUInt32BE(bytes.length, 4);
  // Copied: msgpackr may reuse the memory it packed into.
  out.set(bytes, 8);
  let at = rawStart;
  for (const array of raw.arrays) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at = align8(at + array.byteLength);
  }
  return out;
}

/**
 * Where a frame's bytes go: `size` zeroed bytes, which the caller may hand out again once it has
 * used the frame (the snapshot writer reuses one buffer, so writing a snapshot does not allocate,
 * and leave for the garbage collector, the snapshot's size in buffers).
 */
export type FrameAlloc = (size: number) => Buffer;

/**
 * The snapshot's frames, each as its bytes with their length in front, worked out one at a time as
 * they are asked for, each in a buffer from `alloc` (a new one each, unless the caller says). Take
 * them all before the archive next changes (a reindex's commit updates its indexes in place).
 */
export function* snapshotFrames(snapshot: Snapshot, encoding: SnapshotEncoding = 'msgpack', alloc?: FrameAlloc): Generator<Buffer> {
  const parts = snapshot.archive.parts;
  const frame = (value: Frame): Buffer => packFrame(value, encoding, alloc);
  const partsWritten = new PartCounter();
  const { vocabulary } = parts;
  yield frame({
    kind: 'head',
    stats: { ...parts.stats, builtAt: parts.stats.builtAt.toISOString() },
    articleCount: parts.articles.length,
    passageCount: parts.passages.length,
    wordCount: vocabulary.words.length,
    fileCount: snapshot.files.length,
    vocabulary: {
      passageDf: Int32Array.from(vocabulary.passageDf),
      titleDf: Int32Array.from(vocabulary.titleDf),
      midSentence: Int32Array.from(vocabulary.midSentence),
      capitalised: Int32Array.from(vocabulary.capitalised),
    },
    root: snapshot.root,
    problems: snapshot.problems,
    archiveProblems: parts.problems,
  });
  for (const files of slices(snapshot.files, ROWS_PER_FRAME.files)) yield frame({ kind: 'files', files });
  for (const words of slices(vocabulary.words, ROWS_PER_FRAME.words)) yield frame({ kind: 'words', words });
  for (const rows of slices(parts.articles, ROWS_PER_FRAME.articles)) {
    yield frame({ kind: 'articles', rows: rows.length, columns: encodeColumns(ARTICLE_COLUMNS, rows) });
  }
  for (const rows of slices(parts.passages, ROWS_PER_FRAME.passages)) {
    const texts = encodePassageTexts(rows, parts.articles, partsWritten);
    yield frame({ kind: 'passages', rows: rows.length, columns: encodeColumns(PASSAGE_COLUMNS, rows), texts });
  }
  const postings = parts.passageIndex.data();
  yield frame({
    kind: 'passageIndexHead',
    documentCount: postings.documentCount,
    totals: [postings.totals[0], postings.totals[1]],
    lengths: postings.lengths,
    starts: postings.starts,
    postings: postings.docs.length,
    wide: postings.freqs instanceof Uint32Array,
  });
  for (let start = 0; start < postings.docs.length; start += PASSAGE_POSTINGS_PER_FRAME) {
    const end = start + PASSAGE_POSTINGS_PER_FRAME;
    yield frame({ kind: 'passagePostings', docs: postings.docs.subarray(start, end), freqs: postings.freqs.subarray(start, end) });
  }
}

/** The bytes before the frames, once their checksum is known. */
export function snapshotHeader(checksum: Buffer, encoding: SnapshotEncoding = 'msgpack'): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt8(ENCODING_BYTE[encoding], MAGIC.length);
  header.writeUInt32BE(SNAPSHOT_VERSION, MAGIC.length + 1);
  checksum.copy(header, MAGIC.length + 5);
  return header;
}

/**
 * Encodes an archive and what it was built from as snapshot bytes, in one go (a writer that lets
 * questions in between frames uses {@link snapshotFrames}).
 *
 * @example await writeFile(file, encodeSnapshot({ root, archive, files, problems }))
 */
export function encodeSnapshot(snapshot: Snapshot, encoding: SnapshotEncoding = 'msgpack'): Buffer {
  const body = Buffer.concat([...snapshotFrames(snapshot, encoding)]);
  return Buffer.concat([snapshotHeader(new BodyChecksum().update(body).digest(), encoding), body]);
}

function vocabularyFrom(head: HeadFrame, words: readonly string[]): VocabularyParts {
  if (typeof head.vocabulary !== 'object' || words.length !== head.wordCount || !words.every((w) => typeof w === 'string')) {
    fail('vocabulary');
  }
  const column = (name: keyof HeadFrame['vocabulary']): number[] => {
    const values = Array.from(typedFrom(Int32Array, head.vocabulary[name]));
    return values.length === words.length ? values : fail('vocabulary');
  };
  return {
    words,
    passageDf: column('passageDf'),
    titleDf: column('titleDf'),
    midSentence: column('midSentence'),
    capitalised: column('capitalised'),
  };
}

/** A frame's passage texts as read back: typed arrays again where JSON made them plain arrays. */
function passageTextsFrom(data: unknown): PassageTexts {
  if (typeof data !== 'object' || data === null) fail('passage texts');
  const d = data as Record<keyof PassageTexts, unknown>;
  const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : fail('passage texts'));
  const words = list(d.words).filter((w): w is string => typeof w === 'string');
  if (words.length !== list(d.words).length) fail('passage texts');
  return {
    paragraph: typedFrom(Int32Array, d.paragraph),
    start: typedFrom(Int32Array, d.start),
    end: typedFrom(Int32Array, d.end),
    passages: list(d.passages) as readonly (Passage | null)[],
    sentenceOffsets: typedFrom(Uint32Array, d.sentenceOffsets),
    sentenceSpans: typedFrom(Uint32Array, d.sentenceSpans),
    sentences: list(d.sentences) as readonly (readonly Span[] | null)[],
    figureOffsets: typedFrom(Uint32Array, d.figureOffsets),
    figureStart: typedFrom(Int32Array, d.figureStart),
    figureEnd: typedFrom(Int32Array, d.figureEnd),
    value: typedFrom(Float64Array, d.value),
    noValue: typedFrom(Uint8Array, d.noValue),
    unit: typedFrom(Int32Array, d.unit),
    kind: typedFrom(Int32Array, d.kind),
    currency: typedFrom(Int32Array, d.currency),
    words,
    figures: list(d.figures) as readonly (Figure | null)[],
  };
}

/**
 * A frame's raw arrays, copied into a buffer of their own (which starts aligned): a view into the
 * snapshot's bytes would keep the whole file in memory, its msgpack values too, for as long as the
 * archive lives (at BBC ×10, 100 MB more than a build's arrays).
 */
function ownCopy(raw: Buffer): Buffer {
  const own = new Uint8Array(raw.length);
  own.set(raw);
  return Buffer.from(own.buffer, 0, own.length);
}

/** One frame as read: its value's bytes (msgpack or JSON), and its raw arrays' bytes in a buffer of their own. */
export interface FrameBytes {
  readonly value: Buffer;
  readonly raw: Buffer;
  /** The whole frame as written, from its value's length on, when it is in memory: what {@link OldFrames} compares. */
  readonly whole?: Buffer;
}

/**
 * The frames of a snapshot's body held in memory, each frame's raw arrays copied out ({@link ownCopy});
 * from a SharedArrayBuffer (as the reindex worker hands its bytes over), each value's bytes too,
 * into one buffer used again for the next frame: msgpackr reads strings only from an ArrayBuffer.
 */
function* frameBytesOf(body: Buffer): Generator<FrameBytes> {
  const shared = body.buffer instanceof SharedArrayBuffer;
  let scratch = Buffer.allocUnsafeSlow(shared ? 1 << 16 : 0);
  let at = 0;
  while (at < body.length) {
    if (at + 8 > body.length) fail('frame');
    const length = body.readUInt32BE(at);
    const valueLength = body.readUInt32BE(at + 4);
    const frame = body.subarray(at + 4, at + 4 + length);
    if (frame.length !== length || valueLength > length - 4) fail('frame');
    at += 4 + length;
    let value = frame.subarray(4, 4 + valueLength);
    if (shared) {
      if (scratch.length < valueLength) scratch = Buffer.allocUnsafeSlow(Math.max(valueLength, 2 * scratch.length));
      value = scratch.subarray(0, value.copy(scratch));
    }
    yield { value, raw: ownCopy(frame.subarray(align8(8 + valueLength) - 4)), whole: frame };
  }
}

/**
 * Reads up to `length` bytes at `position` of a snapshot file into `into` (at its start), returning
 * how many it read: fewer only at the end of the file. `fs.readSync` on an open file, in practice.
 */
export type SnapshotReader = (into: Uint8Array, length: number, position: number) => number;

/**
 * The frames of a snapshot file's body, from `start` to `end`, read a frame at a time: the value's
 * bytes into a buffer used again for the next frame, the raw arrays straight into a buffer of their
 * own, which the arrays read back are views of. Reading the whole file first, then copying each
 * frame's arrays out of it, cost a buffer as large as the file and a copy of most of it (at BBC ×10,
 * 210 MB, and 1.5–2 s of a start under load, allocation and garbage collection included).
 */
export function* frameBytesRead(read: SnapshotReader, start: number, end: number): Generator<FrameBytes> {
  const lengths = Buffer.alloc(8);
  let value = Buffer.allocUnsafe(1 << 16);
  const readAll = (into: Uint8Array, length: number, position: number): void => {
    let done = 0;
    while (done < length) {
      const n = read(into.subarray(done), length - done, position + done);
      if (!(n > 0)) fail('frame');
      done += n;
    }
  };
  let at = start;
  while (at < end) {
    if (at + 8 > end) fail('frame');
    readAll(lengths, 8, at);
    const length = lengths.readUInt32BE(0);
    const valueLength = lengths.readUInt32BE(4);
    if (at + 4 + length > end || valueLength > length - 4) fail('frame');
    if (value.length < valueLength) value = Buffer.allocUnsafe(Math.max(valueLength, 2 * value.length));
    readAll(value, valueLength, at + 8);
    const rawStart = at + align8(8 + valueLength);
    const rawEnd = at + 4 + length;
    // Not zeroed first: every byte is read into it. Its own ArrayBuffer, so it starts aligned.
    const raw = Buffer.allocUnsafeSlow(Math.max(0, rawEnd - rawStart));
    readAll(raw, raw.length, rawStart);
    at = rawEnd;
    yield { value: value.subarray(0, valueLength), raw };
  }
}

/** A frame, decoded from its bytes. */
function unpackFrame({ value: bytes, raw }: FrameBytes, encoding: number): Frame {
  const value: unknown = encoding === ENCODING_BYTE.json ? parseJsonFrame(bytes) : withRawArrays(packr.unpack(bytes), raw);
  if (typeof value !== 'object' || value === null || !('kind' in value)) fail('frame');
  return value as Frame;
}

/** Consecutive frames unlike the old archive's after which {@link OldFrames} stops encoding the old archive to compare. */
const OLD_FRAMES_MISSES = 16;

/**
 * The old archive's words, articles and passages, a frame at a time, encoded as the reindex worker
 * encodes the fresh build's: where a frame's bytes are the very bytes the old rows encode as, the
 * old rows stand in for it, and it is not decoded at all. Decoded, its objects would be garbage as
 * soon as they were compared; and V8, having seen the objects of the start's decode all survive,
 * makes them where long-lived objects go (allocation-site pretenuring), where they stay until a
 * full collection: at BBC ×10 a decode that compared every row took the heap to ×1.7 of its steady
 * size with garbage alone. The codec reads back exactly what it wrote (its tests), so equal bytes
 * are equal rows; a frame that differs is decoded and compared row by row ({@link Reuse}).
 */
class OldFrames {
  readonly #old: ArchiveParts;
  /** The part counter of the old passages encoded so far, kept in step as a writer keeps its own. */
  readonly #parts = new PartCounter();
  #passageFrames = 0;
  #misses = 0;
  #scratch = Buffer.alloc(0);
  readonly #alloc: FrameAlloc = (size) => {
    if (this.#scratch.length < size) this.#scratch = Buffer.alloc(Math.max(size, 2 * this.#scratch.length));
    else this.#scratch.fill(0, 0, size);
    return this.#scratch.subarray(0, size);
  };

  constructor(old: Archive) {
    this.#old = old.parts;
  }

  /** The old vocabulary's words for words frame `k`, when `frame` holds exactly them. */
  words(k: number, frame: Buffer | undefined): readonly string[] | null {
    const size = ROWS_PER_FRAME.words;
    const words = this.#old.vocabulary.words.slice(k * size, (k + 1) * size);
    return this.#same(words.length > 0 ? () => ({ kind: 'words', words }) : null, frame) ? words : null;
  }

  /** The old archive's rows for articles frame `k`, when `frame` is exactly their encoding. */
  articles(k: number, frame: Buffer | undefined): readonly IndexedArticle[] | null {
    const rows = this.#rows(this.#old.articles, k, ROWS_PER_FRAME.articles);
    const encode =
      rows === null ? null : (): Frame => ({ kind: 'articles', rows: rows.length, columns: encodeColumns(ARTICLE_COLUMNS, rows) });
    return this.#same(encode, frame) ? rows : null;
  }

  /**
   * The old archive's rows for passages frame `k`, when `frame` is exactly their encoding; asked for
   * every frame in order. A passage's text, id, sentences and figures are read back from its
   * article and the part counter (`read`, the reader's, and `articles`, the articles read back), so
   * equal bytes are equal passages only where both are as they were for the old rows: the counter at
   * the same place, and each row's article the old archive's own object.
   */
  passages(k: number, frame: Buffer | undefined, read: PartCounter, articles: readonly IndexedArticle[]): readonly IndexedPassage[] | null {
    // A passage frame's encoding carries on from the one before (its part counter): out of step, no more.
    if (k !== this.#passageFrames++) return null;
    const rows = this.#rows(this.#old.passages, k, ROWS_PER_FRAME.passages);
    const inStep = this.#parts.same(read);
    const encode =
      rows === null
        ? null
        : (): Frame => {
            const texts = encodePassageTexts(rows, this.#old.articles, this.#parts);
            return { kind: 'passages', rows: rows.length, columns: encodeColumns(PASSAGE_COLUMNS, rows), texts };
          };
    const same = this.#same(encode, frame);
    const oldArticles = this.#old.articles;
    return same && inStep && rows?.every((row) => articles[row.article]?.article === oldArticles[row.article]?.article) === true
      ? rows
      : null;
  }

  /** Slice `k` of `all`, when its rows are numbered by their place (as a reader numbers them). */
  #rows<T extends { readonly ordinal: number }>(all: readonly T[], k: number, size: number): readonly T[] | null {
    const rows = all.slice(k * size, (k + 1) * size);
    return rows.length > 0 && rows.every((row, i) => row.ordinal === k * size + i) ? rows : null;
  }

  /** Whether `frame` is the bytes `encode` gives; false, and nothing encoded, once too many frames in a row were not. */
  #same(encode: (() => Frame) | null, frame: Buffer | undefined): boolean {
    if (this.#misses >= OLD_FRAMES_MISSES || frame === undefined) return false;
    const bytes = encode === null ? null : packFrame(encode(), 'msgpack', this.#alloc);
    const same = bytes !== null && bytes.length - 4 === frame.length && bytes.subarray(4).equals(frame);
    this.#misses = same ? 0 : this.#misses + 1;
    return same;
  }
}

/** Whether the passage index read back has the old one's counts, field lengths and term starts, so its postings may be compared a frame at a time. */
function samePostingsShape(head: PassageIndexHead, old: PostingsData): boolean {
  return (
    head.documentCount === old.documentCount &&
    head.postings === old.docs.length &&
    head.wide === old.freqs instanceof Uint32Array &&
    Array.isArray(head.totals) &&
    head.totals[0] === old.totals[0] &&
    head.totals[1] === old.totals[1] &&
    sameValue(typedFrom(Uint32Array, head.lengths), old.lengths) &&
    sameValue(typedFrom(Uint32Array, head.starts), old.starts)
  );
}

/** The header's checks: magic, and version unless `version` is false. Throws {@link SnapshotRejected}. */
function checkHeader(buffer: Buffer, version = true): void {
  if (buffer.length < HEADER_BYTES || !buffer.subarray(0, MAGIC.length).equals(MAGIC)) throw new SnapshotRejected('not a snapshot file');
  if (!version) return;
  const written = buffer.readUInt32BE(MAGIC.length + 1);
  if (written !== SNAPSHOT_VERSION) throw new SnapshotRejected(`the snapshot is format ${written}, this version reads ${SNAPSHOT_VERSION}`);
}

/**
 * Decodes a snapshot's body a step at a time (a frame, a slice of the vocabulary), yielding
 * between steps, so a caller can let questions in between.
 */
function* decodeSteps(
  frames: Iterable<FrameBytes>,
  encoding: number,
  builtAt: Date | undefined,
  previous?: Archive,
): Generator<void, Snapshot> {
  try {
    const reuse = previous === undefined ? null : new Reuse(previous);
    const oldWords = previous?.parts.vocabulary.words;
    const oldPostings = previous?.passageIndex.data();
    /** While every postings frame so far equals the old index's: its arrays stand in, and no new ones are made. */
    let sharedPostings = false;
    let head: HeadFrame | null = null;
    const files: FileFingerprint[] = [];
    const words: string[] = [];
    const articles: IndexedArticle[] = [];
    const passages: IndexedPassage[] = [];
    const partsRead = new PartCounter();
    let postingsHead: PassageIndexHead | null = null;
    let docs: Int32Array = new Int32Array(0);
    let freqs: Uint16Array | Uint32Array = new Uint16Array(0);
    let postingsRead = 0;
    const oldFrames = previous !== undefined && encoding === ENCODING_BYTE.msgpack ? new OldFrames(previous) : null;
    let index = -1;
    for (const bytes of frames) {
      index++;
      const slot = head === null || oldFrames === null ? null : frameSlot(head, index);
      if (slot !== null && oldFrames !== null) {
        if (slot.kind === 'words') {
          const same = oldFrames.words(slot.k, bytes.whole);
          if (same !== null) {
            words.push(...same);
            yield;
            continue;
          }
        } else if (slot.kind === 'articles') {
          const same = oldFrames.articles(slot.k, bytes.whole);
          if (same !== null) {
            articles.push(...same);
            yield;
            continue;
          }
        } else {
          const same = oldFrames.passages(slot.k, bytes.whole, partsRead, articles);
          if (same !== null) {
            for (const row of same) {
              partsRead.next(row.article, row.passage.paragraph);
              passages.push(row);
            }
            yield;
            continue;
          }
        }
      }
      const frame = unpackFrame(bytes, encoding);
      if (frame.kind === 'head') head = frame;
      else if (head === null) fail('first frame');
      else if (frame.kind === 'files') files.push(...frame.files);
      else if (frame.kind === 'words') {
        // The old archive's strings where the same word has the same id: a string read back is a copy.
        for (const word of frame.words) {
          const old = oldWords?.[words.length];
          words.push(old === word ? old : word);
        }
      } else if (frame.kind === 'articles') {
        const rows = decodeColumns(ARTICLE_COLUMNS, frame.columns, frame.rows, articles.length);
        for (const row of rows) articles.push(reuse === null ? row : reuse.article(row));
      } else if (frame.kind === 'passages') {
        const rows = decodeColumns(PASSAGE_COLUMNS, frame.columns, frame.rows, passages.length);
        const texts = decodePassageTexts(passageTextsFrom(frame.texts), rows.length, (i) => rows[i]?.article ?? -1, articles, partsRead);
        rows.forEach((row, i) => {
          const apart = texts[i];
          if (apart === undefined) fail('passage texts');
          const { ordinal, article, original, termIds, spans, pronoun } = row;
          const { passage, sentences, figures } = apart;
          const fresh: IndexedPassage = { ordinal, passage, article, original, termIds, spans, sentences, figures, pronoun };
          passages.push(reuse === null ? fresh : reuse.passage(fresh, articles[article]));
        });
      } else if (frame.kind === 'passageIndexHead') {
        postingsHead = frame;
        sharedPostings = oldPostings !== undefined && samePostingsShape(frame, oldPostings);
        if (sharedPostings && oldPostings !== undefined) {
          ({ docs, freqs } = oldPostings);
          postingsHead = { ...frame, lengths: oldPostings.lengths, starts: oldPostings.starts };
        } else {
          docs = new Int32Array(frame.postings);
          freqs = frame.wide ? new Uint32Array(frame.postings) : new Uint16Array(frame.postings);
        }
      } else {
        const part = {
          docs: typedFrom(Int32Array, frame.docs),
          freqs: freqs instanceof Uint32Array ? typedFrom(Uint32Array, frame.freqs) : typedFrom(Uint16Array, frame.freqs),
        };
        if (part.docs.length !== part.freqs.length || postingsRead + part.docs.length > docs.length) fail('passage index');
        checkPostings(part.docs, part.freqs, postingsHead?.documentCount ?? 0);
        const end = postingsRead + part.docs.length;
        if (
          sharedPostings &&
          !(sameValue(part.docs, docs.subarray(postingsRead, end)) && sameValue(part.freqs, freqs.subarray(postingsRead, end)))
        ) {
          // The first postings that differ: from here on the index is arrays of its own, the old ones' equal part copied in.
          sharedPostings = false;
          const ownDocs = new Int32Array(docs.length);
          const ownFreqs: Uint16Array | Uint32Array =
            freqs instanceof Uint32Array ? new Uint32Array(docs.length) : new Uint16Array(docs.length);
          ownDocs.set(docs.subarray(0, postingsRead));
          ownFreqs.set(freqs.subarray(0, postingsRead));
          docs = ownDocs;
          freqs = ownFreqs;
        }
        if (!sharedPostings) {
          docs.set(part.docs, postingsRead);
          freqs.set(part.freqs, postingsRead);
        }
        postingsRead = end;
      }
      yield;
    }
    if (head === null) fail('first frame');
    if (postingsHead === null || postingsRead !== docs.length) fail('passage index');
    if (articles.length !== head.articleCount || passages.length !== head.passageCount || files.length !== head.fileCount) fail('table');
    const vocabulary = vocabularyFrom(head, words);
    yield;
    const archive = yield* Archive.restoring(
      {
        articles,
        passages,
        problems: head.archiveProblems,
        vocabulary,
        passageIndex: new PostingsIndex({
          documentCount: postingsHead.documentCount,
          totals: postingsHead.totals.every((total) => typeof total === 'number') ? postingsHead.totals : fail('passage index'),
          lengths: typedFrom(Uint32Array, postingsHead.lengths),
          starts: typedFrom(Uint32Array, postingsHead.starts),
          docs,
          freqs,
        }),
        stats: { ...head.stats, builtAt: builtAt ?? new Date(head.stats.builtAt) },
      },
      previous,
    );
    return { root: head.root, archive, files, problems: head.problems };
  } catch (error) {
    if (error instanceof SnapshotRejected) throw error;
    throw new SnapshotRejected(`the snapshot cannot be read (${error instanceof Error ? error.message : 'unknown error'})`);
  } finally {
    // msgpackr keeps the last buffer it read: let go of the snapshot's.
    packr.unpack(EMPTY);
  }
}

/** Which table's rows frame `index` holds, by the head's counts and {@link ROWS_PER_FRAME}, and which of its frames it is; null for the others. */
function frameSlot(head: HeadFrame, index: number): { readonly kind: 'words' | 'articles' | 'passages'; readonly k: number } | null {
  const frames = (count: number, size: number): number => (Number.isInteger(count) && count > 0 ? Math.ceil(count / size) : 0);
  let k = index - 1 - frames(head.fileCount, ROWS_PER_FRAME.files);
  for (const kind of ['words', 'articles', 'passages'] as const) {
    const count = kind === 'words' ? head.wordCount : kind === 'articles' ? head.articleCount : head.passageCount;
    if (k < 0) return null;
    const n = frames(count, ROWS_PER_FRAME[kind]);
    if (k < n) return { kind, k };
    k -= n;
  }
  return null;
}

/**
 * Reads snapshot bytes back. Throws {@link SnapshotRejected}, never anything else, when the bytes
 * are not a snapshot, are damaged, or are of another version: the caller then rebuilds.
 */
export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkHeader(buffer);
  const body = buffer.subarray(HEADER_BYTES);
  if (
    !new BodyChecksum()
      .update(body)
      .digest()
      .equals(buffer.subarray(MAGIC.length + 5, MAGIC.length + 5 + CHECKSUM_BYTES))
  ) {
    throw new SnapshotRejected('the snapshot is damaged (checksum mismatch)');
  }
  const steps = decodeSteps(frameBytesOf(body), buffer.readUInt8(MAGIC.length), undefined);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** A snapshot body's frames, as read, and its checksum ({@link BodyChecksum}), asked for once the frames are decoded. */
export interface FrameSource {
  readonly frames: Iterable<FrameBytes>;
  readonly checksum: () => Promise<Buffer>;
}

/**
 * Reads a snapshot file of `size` bytes: its header through `read`, then its body's frames from
 * `source` (given where the body starts), a frame at a time, never the whole file at once (as
 * {@link frameBytesRead} reads them, or another thread); the body's checksum is asked of `source`
 * once they are decoded. Throws {@link SnapshotRejected} as {@link decodeSnapshot} does, a damaged
 * file (checksum mismatch) first of all reasons; or what `read` throws reading the header.
 */
export async function decodeSnapshotFile(read: SnapshotReader, size: number, source: (start: number) => FrameSource): Promise<Snapshot> {
  const header = Buffer.alloc(HEADER_BYTES);
  if (size < HEADER_BYTES || read(header, HEADER_BYTES, 0) !== HEADER_BYTES) throw new SnapshotRejected('not a snapshot file');
  checkHeader(header);
  const { frames, checksum } = source(HEADER_BYTES);
  let snapshot: Snapshot | null = null;
  let failed: unknown = null;
  try {
    const steps = decodeSteps(frames, header.readUInt8(MAGIC.length), undefined);
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done === true) {
        snapshot = step.value;
        break;
      }
    }
  } catch (error) {
    failed = error;
  }
  // Awaited even when decoding failed: a damaged file is why it failed, then, and the checksum says so.
  if (!(await checksum()).equals(header.subarray(MAGIC.length + 5, MAGIC.length + 5 + CHECKSUM_BYTES))) {
    throw new SnapshotRejected('the snapshot is damaged (checksum mismatch)');
  }
  if (snapshot === null) throw failed;
  return snapshot;
}

/**
 * Reads back the snapshot bytes a reindex worker built and handed over, a frame or a slice of the
 * vocabulary at a time. No checksum (they never left memory) and no version check: the worker runs this process's
 * code, whose version is a hash of the core's files as they are on disk now, which an update in
 * place changes under a running bot. Awaits `pause` once a step has run `sliceMs`: a whole archive
 * decoded at once would hold up answering for a second or more.
 */
export async function decodeSnapshotSliced(
  bytes: Uint8Array,
  pause: () => Promise<unknown>,
  options: {
    readonly sliceMs?: number;
    readonly builtAt?: Date;
    /**
     * The archive serving meanwhile: its objects stand in for those read back wherever they hold
     * the same values ({@link Reuse}), so the two archives share them rather than both being whole.
     */
    readonly previous?: Archive;
  } = {},
): Promise<Snapshot> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkHeader(buffer, false);
  const sliceMs = options.sliceMs ?? 8;
  const steps = decodeSteps(frameBytesOf(buffer.subarray(HEADER_BYTES)), buffer.readUInt8(MAGIC.length), options.builtAt, options.previous);
  let sliceStarted = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    if (performance.now() - sliceStarted > sliceMs) {
      await pause();
      sliceStarted = performance.now();
    }
  }
}
