/**
 * Archives for `bench:speed`, written to a temporary folder: ×N copies of the BBC corpus with
 * numbers and names perturbed, and a deterministic synthetic archive of the same shape.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Articles in the BBC corpus, so a synthetic ×1 has as many. */
export const BBC_ARTICLES = 2225;

/** A letter tag for copy `copy` (1 → "qa", 27 → "qba"): appended to names, so every copy names other people. */
function tag(copy: number): string {
  let out = '';
  let n = copy;
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `q${out}`;
}

/**
 * Copy `copy` of an article's text: every number shifted by the copy number and every capitalised
 * word not opening a sentence tagged, so no paragraph of one copy equals a paragraph of another
 * (the archive shows a repeated passage once, which would flatter a copied archive).
 */
export function perturb(text: string, copy: number): string {
  if (copy === 0) return text;
  const suffix = tag(copy);
  return text
    .split('\n')
    .map((line) => {
      let changed = line
        .replace(/\d+/gu, (digits) => String(Number(digits) + copy).padStart(digits.length, '0'))
        .replace(/(?<![.!?]\s|^)\b([A-Z][a-z]{2,})\b/gu, `$1${suffix}`);
      // A line with neither numbers nor names: tag its first word, so it still differs.
      if (changed === line && line.length > 0) changed = line.replace(/^(\S+)/u, `$1${suffix}`);
      return changed;
    })
    .join('\n');
}

async function listTextFiles(root: string, relative = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listTextFiles(root, rel)));
    else if (entry.isFile() && entry.name.endsWith('.txt') && !/^readme/iu.test(entry.name)) out.push(rel);
  }
  return out.sort();
}

/** Writes `size` perturbed copies of the corpus at `source` under `target/c00`, `target/c01`…; returns the article count. */
export async function writeBbcCopies(source: string, target: string, size: number): Promise<number> {
  const files = await listTextFiles(source);
  const texts = await Promise.all(files.map((file) => readFile(path.join(source, file), 'latin1')));
  for (let copy = 0; copy < size; copy++) {
    const folder = path.join(target, `c${String(copy).padStart(2, '0')}`);
    const dirs = new Set(files.map((file) => path.dirname(path.join(folder, file))));
    for (const dir of dirs) await mkdir(dir, { recursive: true });
    await Promise.all(files.map((file, i) => writeFile(path.join(folder, file), perturb(texts[i] ?? '', copy), 'latin1')));
  }
  return files.length * size;
}

/** Mulberry32: a small, fast, seeded generator, so every run writes the same synthetic archive. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'ber', 'dun', 'el', 'fa', 'gor', 'hi', 'is', 'jan', 'ku', 'lem', 'mor', 'nu'];
const GLUE = ['the', 'of', 'and', 'to', 'in', 'a', 'is', 'for', 'on', 'that', 'with', 'was', 'by', 'at', 'from', 'said'];

/**
 * Writes a synthetic archive of `size` × {@link BBC_ARTICLES} headline-format articles under
 * `target`: Zipf-distributed words, names that grow with the archive, numbers, money and
 * percents, 4–9 paragraphs of 1–4 sentences. Returns the article count.
 */
export async function writeSynthetic(target: string, size: number): Promise<number> {
  const next = random(20240601);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const word = (n: number): string => {
    let w = '';
    let k = n + 1;
    while (k > 0) {
      w += SYLLABLES[k % SYLLABLES.length] ?? '';
      k = Math.floor(k / SYLLABLES.length);
    }
    return w;
  };
  const vocabulary = Array.from({ length: 30000 }, (_, i) => word(i));
  // Zipf: the word of rank r is drawn with weight 1/r.
  const zipf = (): string =>
    vocabulary[Math.min(vocabulary.length - 1, Math.floor(Math.exp(next() * Math.log(vocabulary.length)) - 1))] ?? 'ka';
  const names = Array.from({ length: 1500 * size }, (_, i) => {
    const w = word(i + 5000);
    return w.charAt(0).toUpperCase() + w.slice(1);
  });
  const figure = (): string => {
    const r = next();
    if (r < 0.3) return `${Math.floor(next() * 900 + 10)}`;
    if (r < 0.5) return `$${(next() * 50).toFixed(1)}bn`;
    if (r < 0.7) return `${Math.floor(next() * 99)}%`;
    return `${1950 + Math.floor(next() * 70)}`;
  };
  const sentence = (): string => {
    const length = 8 + Math.floor(next() * 18);
    const words: string[] = [];
    for (let i = 0; i < length; i++) {
      const r = next();
      words.push(r < 0.35 ? pick(GLUE) : r < 0.45 ? pick(names) : r < 0.5 ? figure() : zipf());
    }
    const first = words[0] ?? 'ka';
    words[0] = first.charAt(0).toUpperCase() + first.slice(1);
    return `${words.join(' ')}.`;
  };
  const articles = BBC_ARTICLES * size;
  for (let folder = 0; folder * 500 < articles; folder++) {
    const dir = path.join(target, `s${String(folder).padStart(3, '0')}`);
    await mkdir(dir, { recursive: true });
    const writes: Promise<void>[] = [];
    for (let i = folder * 500; i < Math.min(articles, (folder + 1) * 500); i++) {
      const title = [pick(names), zipf(), zipf(), pick(GLUE), zipf(), figure()].join(' ');
      const paragraphs = Array.from({ length: 4 + Math.floor(next() * 6) }, () =>
        Array.from({ length: 1 + Math.floor(next() * 4) }, sentence).join(' '),
      );
      writes.push(writeFile(path.join(dir, `${String(i).padStart(6, '0')}.txt`), `${title}\n\n${paragraphs.join('\n\n')}\n`));
    }
    await Promise.all(writes);
  }
  return articles;
}
