/**
 * The archive snapshot's byte format, in one place: a new per-passage or per-article field is one
 * line in {@link PASSAGE_COLUMNS} or {@link ARTICLE_COLUMNS} (the compiler insists), and a change
 * of meaning changes {@link SNAPSHOT_VERSION} by itself.
 *
 * A snapshot is `FDSNAP`, one byte of encoding, the version (uint32), a SHA-256 of the payload,
 * then the payload: msgpack (typed arrays as raw bytes) or JSON, both kept so they can be measured.
 * Per-passage arrays are stored column-wise, one contiguous typed array per field, and read back as
 * views into it: no per-passage copies.
 */
import { createHash } from 'node:crypto';
import { Packr } from 'msgpackr';
import { Archive, type ArchiveStats, type IndexedArticle, type IndexedPassage, type VocabularyParts } from './archive.ts';
import { snapshotVersion } from './snapshot-version.ts';
import { TextIndex, type TextIndexData } from './text-index.ts';
import type { Problem } from './types.ts';

/**
 * The format version: derived from the core's own code ({@link snapshotVersion}), so any change to
 * how an archive is worked out makes an older snapshot a rebuild, never a misread.
 */
export const SNAPSHOT_VERSION = snapshotVersion();

const MAGIC = Buffer.from('FDSNAP', 'latin1');
const HEADER_BYTES = MAGIC.length + 1 + 4 + 32;

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

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array;
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

/** A map of term id to count per row, stored as two lists. */
const counts: Column<ReadonlyMap<number, number>> = {
  encode: (values) => [numbers.encode(values.map((m) => [...m.keys()])), numbers.encode(values.map((m) => [...m.values()]))],
  decode: (data, rows) => {
    if (!Array.isArray(data) || data.length !== 2) fail('count column');
    const keys = numbers.decode(data[0], rows);
    const values = numbers.decode(data[1], rows);
    return keys.map((k, i) => new Map(k.map((key, j) => [key, values[i]?.[j] ?? 0])));
  },
};

/** A set of term ids per row. */
const idSet: Column<ReadonlySet<number>> = {
  encode: (values) => numbers.encode(values.map((s) => [...s])),
  decode: (data, rows) => numbers.decode(data, rows).map((ids) => new Set(ids)),
};

type Columns<T> = { readonly [K in Exclude<keyof T, 'ordinal'>]-?: Column<T[K]> };

/** How each field of a passage is stored. The ordinal is the row number. */
const PASSAGE_COLUMNS: Columns<IndexedPassage> = {
  passage: plain(),
  article: int,
  original: int,
  termIds: typed(Int32Array),
  spans: typed(Uint32Array),
  sentenceOf: typed(Uint16Array),
  capitalised: typed(Uint8Array),
  sentences: plain(),
  figures: plain(),
  pronoun: int,
};

/** How each field of an article is stored. The ordinal is the row number. */
const ARTICLE_COLUMNS: Columns<IndexedArticle> = {
  article: plain(),
  passages: numbers,
  terms: counts,
  titleTerms: idSet,
};

function encodeColumns<T>(columns: Columns<T>, rows: readonly T[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, column] of Object.entries<Column<unknown>>(columns)) {
    out[name] = column.encode(rows.map((row) => row[name as keyof T]));
  }
  return out;
}

function decodeColumns<T>(columns: Columns<T>, data: unknown, rows: number): T[] {
  if (typeof data !== 'object' || data === null) fail('table');
  const record = data as Record<string, unknown>;
  const decoded = Object.entries<Column<unknown>>(columns).map(([name, column]) => [name, column.decode(record[name], rows)] as const);
  return Array.from({ length: rows }, (_, ordinal) => {
    const row: Record<string, unknown> = { ordinal };
    for (const [name, values] of decoded) row[name] = values[ordinal];
    return row as T; // every field of T is set: Columns<T> names them all.
  });
}

interface Payload {
  stats: Omit<ArchiveStats, 'builtAt'> & { builtAt: string };
  articleCount: number;
  passageCount: number;
  articles: Record<string, unknown>;
  passages: Record<string, unknown>;
  vocabulary: { words: readonly string[]; passageDf: Int32Array; titleDf: Int32Array; midSentence: Int32Array; capitalised: Int32Array };
  passageIndex: TextIndexData;
  titleIndex: TextIndexData;
  root: string;
  files: readonly FileFingerprint[];
  problems: readonly Problem[];
  /** Articles the build left out, and why. */
  archiveProblems: readonly Problem[];
}

// Records with repeated keys (figures, passages) are written once as a structure, then as values.
const packr = new Packr({ useRecords: true, moreTypes: true });

/**
 * Encodes an archive and what it was built from as snapshot bytes.
 *
 * @example await writeFile(file, encodeSnapshot({ archive, files, problems }))
 */
export function encodeSnapshot(snapshot: Snapshot, encoding: SnapshotEncoding = 'msgpack'): Buffer {
  const parts = snapshot.archive.parts;
  const payload: Payload = {
    stats: { ...parts.stats, builtAt: parts.stats.builtAt.toISOString() },
    articleCount: parts.articles.length,
    passageCount: parts.passages.length,
    articles: encodeColumns(ARTICLE_COLUMNS, parts.articles),
    passages: encodeColumns(PASSAGE_COLUMNS, parts.passages),
    vocabulary: {
      words: parts.vocabulary.words,
      passageDf: Int32Array.from(parts.vocabulary.passageDf),
      titleDf: Int32Array.from(parts.vocabulary.titleDf),
      midSentence: Int32Array.from(parts.vocabulary.midSentence),
      capitalised: Int32Array.from(parts.vocabulary.capitalised),
    },
    passageIndex: parts.passageIndex.toData(),
    titleIndex: parts.titleIndex.toData(),
    root: snapshot.root,
    files: snapshot.files,
    problems: snapshot.problems,
    archiveProblems: parts.problems,
  };
  const body =
    encoding === 'msgpack'
      ? packr.pack(payload)
      : Buffer.from(
          JSON.stringify(payload, (_key, value: unknown) => (ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value)),
        );
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt8(ENCODING_BYTE[encoding], MAGIC.length);
  header.writeUInt32BE(SNAPSHOT_VERSION, MAGIC.length + 1);
  createHash('sha256')
    .update(body)
    .digest()
    .copy(header, MAGIC.length + 5);
  return Buffer.concat([header, body]);
}

function vocabularyFrom(data: unknown): VocabularyParts {
  if (typeof data !== 'object' || data === null) fail('vocabulary');
  const v = data as Record<string, unknown>;
  const words = Array.isArray(v.words) && v.words.every((w) => typeof w === 'string') ? v.words : fail('vocabulary');
  const column = (name: string): number[] => {
    const values = Array.from(typedFrom(Int32Array, v[name]));
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

function textIndexFrom(data: unknown): TextIndex {
  if (typeof data !== 'object' || data === null || !('search' in data) || !('slots' in data)) fail('text index');
  const { search, slots } = data as TextIndexData;
  return new TextIndex({ search, slots: slots === null ? null : typedFrom(Int32Array, slots) });
}

/**
 * Reads snapshot bytes back. Throws {@link SnapshotRejected}, never anything else, when the bytes
 * are not a snapshot, are damaged, or are of another version: the caller then rebuilds.
 */
export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < HEADER_BYTES || !buffer.subarray(0, MAGIC.length).equals(MAGIC)) throw new SnapshotRejected('not a snapshot file');
  const version = buffer.readUInt32BE(MAGIC.length + 1);
  if (version !== SNAPSHOT_VERSION) throw new SnapshotRejected(`the snapshot is format ${version}, this version reads ${SNAPSHOT_VERSION}`);
  const body = buffer.subarray(HEADER_BYTES);
  if (
    !createHash('sha256')
      .update(body)
      .digest()
      .equals(buffer.subarray(MAGIC.length + 5, HEADER_BYTES))
  ) {
    throw new SnapshotRejected('the snapshot is damaged (checksum mismatch)');
  }
  try {
    const encoding = buffer.readUInt8(MAGIC.length);
    const payload = (encoding === ENCODING_BYTE.json ? JSON.parse(body.toString('utf8')) : packr.unpack(body)) as Payload;
    const articles = decodeColumns(ARTICLE_COLUMNS, payload.articles, payload.articleCount);
    const passages = decodeColumns(PASSAGE_COLUMNS, payload.passages, payload.passageCount);
    const archive = Archive.restore({
      articles,
      passages,
      problems: payload.archiveProblems,
      vocabulary: vocabularyFrom(payload.vocabulary),
      passageIndex: textIndexFrom(payload.passageIndex),
      titleIndex: textIndexFrom(payload.titleIndex),
      stats: { ...payload.stats, builtAt: new Date(payload.stats.builtAt) },
    });
    return { root: payload.root, archive, files: payload.files, problems: payload.problems };
  } catch (error) {
    if (error instanceof SnapshotRejected) throw error;
    throw new SnapshotRejected(`the snapshot cannot be read (${error instanceof Error ? error.message : 'unknown error'})`);
  }
}
