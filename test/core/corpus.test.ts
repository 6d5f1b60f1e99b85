import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorpusError, MAX_ARTICLE_BYTES, decodeArticleBytes, isSkippedFile, loadArticles } from '../../src/core/corpus.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-corpus-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), content);
}

describe('loadArticles', () => {
  it('loads every format recursively, with ids relative to the folder', async () => {
    await put('000_seed.txt', 'date 2023-11-06 Assad spoke. He left.');
    await put('business/001.txt', 'Profits rise\n\nProfits rose 76%.');
    await put('world/summit.md', '---\ntitle: Summit\n---\nLeaders met.');
    const { articles, problems } = await loadArticles(dir);
    expect(problems).toEqual([]);
    expect(articles.map((a) => [a.id, a.format])).toEqual([
      ['000_seed', 'seed'],
      ['business/001', 'headline'],
      ['world/summit', 'markdown'],
    ]);
  });

  it('skips READMEs, licences, dotfiles and unknown extensions without a problem', async () => {
    await put('README.TXT', 'About this corpus\n\nNot an article.');
    await put('LICENSE', 'MIT');
    await put('licence.md', 'Terms');
    await put('.hidden.txt', 'Secret\n\nNo.');
    await put('.git/config.txt', 'x\n\ny');
    await put('photo.jpg', 'binary');
    await put('a.txt', 'Real article\n\nIt loads.');
    const { articles, problems } = await loadArticles(dir);
    expect(articles.map((a) => a.id)).toEqual(['a']);
    expect(problems).toEqual([]);
  });

  it('turns each bad file into a problem with a reason, and still loads the rest', async () => {
    await put('good.txt', 'Good\n\nIt loads.');
    await put('empty.txt', '');
    await put('binary.txt', new Uint8Array([0x47, 0x00, 0x01, 0x02]));
    await put('big.txt', `Big\n\n${'x'.repeat(MAX_ARTICLE_BYTES)}`);
    await put('baddate.txt', 'date 2023-02-30 Body.');
    await put('badfront.md', '---\ntitle: [oops\n---\nBody.');
    await put('dup.txt', 'One\n\nFirst.');
    await put('dup.md', '---\ntitle: Two\n---\nSecond.');
    const { articles, problems } = await loadArticles(dir);
    expect(articles.map((a) => a.id)).toEqual(['dup', 'good']);
    expect(problems.map((p) => p.file)).toEqual(['baddate.txt', 'badfront.md', 'big.txt', 'binary.txt', 'dup.txt', 'empty.txt']);
    const reasons = Object.fromEntries(problems.map((p) => [p.file, p.reason]));
    expect(reasons['baddate.txt']).toBe('malformed date "2023-02-30": is not a calendar date');
    expect(reasons['big.txt']).toBe('the file is 1.0 MiB, over the 1 MiB limit');
    expect(reasons['binary.txt']).toBe('the file is binary, not text');
    expect(reasons['dup.txt']).toBe('duplicate id "dup": dup.md already has it');
    expect(reasons['empty.txt']).toBe('the file is empty');
    expect(reasons['badfront.md']).toMatch(/^malformed front matter: /u);
  });

  it('reports a file it cannot read, such as a link to nowhere', async () => {
    await symlink(path.join(dir, 'nowhere.txt'), path.join(dir, 'dangling.txt'));
    await put('good.txt', 'Good\n\nIt loads.');
    const { articles, problems } = await loadArticles(dir);
    expect(articles.map((a) => a.id)).toEqual(['good']);
    expect(problems).toEqual([{ file: 'dangling.txt', reason: 'the file cannot be read (ENOENT)' }]);
  });

  it('throws a CorpusError when the folder does not exist or is a file', async () => {
    await expect(loadArticles(path.join(dir, 'missing'))).rejects.toThrow(CorpusError);
    await put('file.txt', 'x');
    await expect(loadArticles(path.join(dir, 'file.txt'))).rejects.toThrow(/is not a folder/u);
  });
});

describe('decodeArticleBytes', () => {
  it('falls back to Windows-1252 for legacy text', () => {
    expect(decodeArticleBytes(new Uint8Array([0xa3, 0x31, 0x35, 0x2e, 0x38, 0x6d]))).toBe('£15.8m');
  });
});

describe('isSkippedFile', () => {
  it('knows articles from everything else', () => {
    expect(['a.txt', 'b.md', 'c.markdown'].map(isSkippedFile)).toEqual([false, false, false]);
    expect(['README.TXT', 'readme.md', 'LICENSE', 'License.txt', '.env', 'x.json'].map(isSkippedFile)).toEqual([true, true, true, true, true, true]);
  });
});
