import { execFileSync } from 'node:child_process';
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
    expect(problems).toEqual([{ file: 'dangling.txt', reason: 'the file is a broken link or was removed while loading' }]);
  });

  describe('never reads outside the folder', () => {
    let outside: string;
    beforeEach(async () => {
      outside = await mkdtemp(path.join(os.tmpdir(), 'factdesk-outside-'));
    });
    afterEach(async () => {
      await rm(outside, { recursive: true, force: true });
    });

    it('refuses a link to a file outside the folder, and serves none of its text', async () => {
      await writeFile(path.join(outside, 'passwd.txt'), 'root:x:0:0\n\nroot:/root:/bin/bash');
      await symlink(path.join(outside, 'passwd.txt'), path.join(dir, 'passwd.txt'));
      await symlink('/etc/hostname', path.join(dir, 'host.txt'));
      await put('good.txt', 'Good\n\nIt loads.');
      const { articles, problems } = await loadArticles(dir);
      expect(articles.map((a) => a.id)).toEqual(['good']);
      expect(problems).toEqual([
        { file: 'host.txt', reason: 'the file is a link to a place outside the articles folder, which is never read' },
        { file: 'passwd.txt', reason: 'the file is a link to a place outside the articles folder, which is never read' },
      ]);
    });

    it('refuses a link to an environment file or a hidden file, even inside the folder', async () => {
      await put('.env', 'DISCORD_TOKEN=abc.def.ghi');
      await put('config/.env.production', 'DISCORD_TOKEN=abc.def.ghi');
      await put('.secret/notes.txt', 'Secret\n\nHidden.');
      await symlink(path.join(dir, '.env'), path.join(dir, 'notes.txt'));
      await symlink(path.join(dir, 'config/.env.production'), path.join(dir, 'prod.md'));
      await symlink(path.join(dir, '.secret/notes.txt'), path.join(dir, 'hidden.txt'));
      const { articles, problems } = await loadArticles(dir);
      expect(articles).toEqual([]);
      expect(problems).toEqual([
        { file: 'hidden.txt', reason: 'the file is a link to a hidden file or folder, which is never read' },
        { file: 'notes.txt', reason: 'the file is a link to an environment file (.env), which is never read' },
        { file: 'prod.md', reason: 'the file is a link to an environment file (.env), which is never read' },
      ]);
    });

    it('follows a link to an article inside the folder', async () => {
      await put('2024/report.txt', 'Report\n\nProfits rose.');
      await symlink(path.join(dir, '2024/report.txt'), path.join(dir, 'latest.txt'));
      const { articles, problems } = await loadArticles(dir);
      expect(problems).toEqual([]);
      expect(articles.map((a) => a.id)).toEqual(['2024/report', 'latest']);
    });

    it('reports a named pipe as a problem instead of ignoring it, and does not hang on it', async () => {
      execFileSync('mkfifo', [path.join(dir, 'pipe.txt')]);
      await put('good.txt', 'Good\n\nIt loads.');
      const { articles, problems } = await loadArticles(dir);
      expect(articles.map((a) => a.id)).toEqual(['good']);
      expect(problems).toEqual([{ file: 'pipe.txt', reason: 'a FIFO (named pipe), not an article file' }]);
    });

    it('refuses a link to a named pipe without opening it for long', async () => {
      execFileSync('mkfifo', [path.join(dir, 'pipe.dat.txt')]);
      await symlink(path.join(dir, 'pipe.dat.txt'), path.join(dir, 'link.txt'));
      const { problems } = await loadArticles(dir);
      expect(problems).toEqual([
        { file: 'link.txt', reason: 'not a regular file' },
        { file: 'pipe.dat.txt', reason: 'a FIFO (named pipe), not an article file' },
      ]);
    });
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
    expect(['README.TXT', 'readme.md', 'LICENSE', 'License.txt', '.env', 'x.json'].map(isSkippedFile)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});
