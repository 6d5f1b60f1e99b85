import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import {
  CorpusError,
  MAX_ARTICLE_BYTES,
  articleFromBytes,
  decodeArticleBytes,
  isSkippedFile,
  loadArticles,
  readCapped,
  readCappedSync,
  type ReadFolder,
  type ReadHandle,
  type SyncReads,
} from '../../src/core/corpus.ts';
import { Archive } from '../../src/core/archive.ts';

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

describe('one bad file never stops the archive', () => {
  it('turns a Markdown file that overflowed the parser into a loaded article, and the rest still load', async () => {
    await put('deep.md', '>'.repeat(4500));
    await put('lists.md', `# Lists\n\n${'- '.repeat(4500)}end`);
    await put('good.txt', 'Good\n\nIt loads.');
    const { articles, problems } = await loadArticles(dir);
    expect(problems).toEqual([]);
    expect(articles.map((a) => a.id)).toEqual(['deep', 'good', 'lists']);
  });

  it('refuses a file that takes longer than its budget to parse, naming it', () => {
    const bytes = new TextEncoder().encode('Title\n\nBody.');
    expect(articleFromBytes('a.txt', bytes, -1)).toEqual({
      file: 'a.txt',
      reason: expect.stringMatching(/^the file took \d+ ms to parse, over the 0 ms budget for one file$/u) as unknown,
    });
  });

  it('refuses a Markdown file too dense to parse quickly, naming it', async () => {
    await put('stars.md', '*a'.repeat(32 * 1024));
    await put('good.txt', 'Good\n\nIt loads.');
    const { articles, problems } = await loadArticles(dir);
    expect(articles.map((a) => a.id)).toEqual(['good']);
    expect(problems).toEqual([
      { file: 'stars.md', reason: 'the Markdown is too dense to parse: 32,768 marks and lines, over the limit of 20,000' },
    ]);
  });

  it('leaves out an article whose passages or figures cannot be worked out, as a problem', async () => {
    const good = articleFromBytes('good.txt', new TextEncoder().encode('Good\n\nIt loads.'));
    const bad = articleFromBytes('bad.txt', new TextEncoder().encode('Bad\n\nIt throws.'));
    if (!('id' in good) || !('id' in bad)) throw new Error('fixtures must load');
    // A paragraphs array whose reading throws stands for any failure in the splitter or figure extractor.
    const poisoned = {
      ...bad,
      paragraphs: new Proxy([...bad.paragraphs], {
        get: () => {
          throw new RangeError('boom');
        },
      }),
    };
    const archive = await Archive.build([good, poisoned]);
    expect(archive.articles.map((a) => a.article.id)).toEqual(['good']);
    expect(archive.problems).toEqual([{ file: 'bad.txt', reason: 'its passages and figures could not be worked out (RangeError: boom)' }]);
  });
});

describe('listing errors', () => {
  it('turns an unreadable subfolder into a problem and loads the rest', async () => {
    await put('good.txt', 'Good\n\nIt loads.');
    await put('locked/a.txt', 'Hidden\n\nNot read.');
    const refuse: ReadFolder = async (folder) => {
      if (folder.endsWith('locked')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return readdir(folder, { withFileTypes: true });
    };
    const { articles, problems } = await loadArticles(dir, { readFolder: refuse });
    expect(articles.map((a) => a.id)).toEqual(['good']);
    expect(problems).toEqual([{ file: 'locked', reason: 'the folder cannot be read (EACCES); its files were not loaded' }]);
  });

  it('turns a subfolder deleted during the load into a problem', async () => {
    await put('good.txt', 'Good\n\nIt loads.');
    await put('gone/a.txt', 'Gone\n\nSoon.');
    const vanish: ReadFolder = async (folder) => {
      if (folder.endsWith('gone')) await rm(folder, { recursive: true, force: true });
      return readdir(folder, { withFileTypes: true });
    };
    const { articles, problems } = await loadArticles(dir, { readFolder: vanish });
    expect(articles.map((a) => a.id)).toEqual(['good']);
    expect(problems).toEqual([{ file: 'gone', reason: 'the folder was removed while loading; its files were not loaded' }]);
  });

  it('still fails the load when the root folder itself cannot be read', async () => {
    const refuse: ReadFolder = () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }));
    await expect(loadArticles(dir, { readFolder: refuse })).rejects.toThrow(`the folder ${dir} cannot be read (EACCES)`);
  });
});

describe('MAX_ARCHIVE_MB', () => {
  it('loads files in path order up to the cap, and reports the rest in one problem line', async () => {
    const text = `Title\n\n${'Words in a sentence. '.repeat(20_000)}`;
    for (const name of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) await put(name, text);
    const { articles, problems } = await loadArticles(dir, { maxArchiveMb: 1 });
    expect(articles.map((a) => a.id)).toEqual(['a', 'b']);
    expect(problems).toEqual([
      {
        file: 'c.txt',
        reason: 'the articles add up to more than the MAX_ARCHIVE_MB limit of 1 MB: this file and 1 more file after it were not loaded',
      },
    ]);
  });
});

describe('readCapped', () => {
  it('caps a file that grows while it is read, whatever its size was when checked', async () => {
    let reads = 0;
    const growing: ReadHandle = {
      stat: () => Promise.resolve({ isFile: () => true, size: 10 }),
      read: (buffer, offset, length) => {
        reads++;
        const n = Math.min(length, 64 * 1024);
        buffer.fill(0x61, offset, offset + n);
        return Promise.resolve({ bytesRead: n });
      },
      close: () => Promise.resolve(),
    };
    await expect(readCapped('grows.txt', () => Promise.resolve(growing))).rejects.toThrow(
      'the file grew past the 1 MiB limit while it was read',
    );
    expect(reads).toBe(17);
  });

  it('reads a small file into a buffer of its size, not of the 1 MiB cap', async () => {
    const sizes: number[] = [];
    const small: ReadHandle = {
      stat: () => Promise.resolve({ isFile: () => true, size: 5 }),
      read: (buffer, offset) => {
        sizes.push(buffer.length);
        const n = offset === 0 ? buffer.write('hello') : 0;
        return Promise.resolve({ bytesRead: n });
      },
      close: () => Promise.resolve(),
    };
    expect((await readCapped('small.txt', () => Promise.resolve(small))).toString()).toBe('hello');
    expect(sizes).toEqual([6, 6]);
  });
});

describe('readCappedSync', () => {
  /** Blocking file calls over one made-up file, which `read` fills. */
  const fileOf = (info: { isFile(): boolean; size: number }, read: SyncReads['readSync'], closed: { count: number }): SyncReads => ({
    openSync: () => 7,
    fstatSync: () => info,
    readSync: read,
    closeSync: () => {
      closed.count++;
    },
  });

  it('caps a file that grows while it is read, and refuses what is not a regular file, as readCapped does', () => {
    let reads = 0;
    const closed = { count: 0 };
    const growing = fileOf(
      { isFile: () => true, size: 10 },
      (_fd, buffer, offset, length) => {
        reads++;
        const n = Math.min(length, 64 * 1024);
        buffer.fill(0x61, offset, offset + n);
        return n;
      },
      closed,
    );
    expect(() => readCappedSync('grows.txt', growing)).toThrow('the file grew past the 1 MiB limit while it was read');
    expect(reads).toBe(17);
    expect(() =>
      readCappedSync(
        'pipe.txt',
        fileOf({ isFile: () => false, size: 0 }, () => 0, closed),
      ),
    ).toThrow('not a regular file');
    expect(() =>
      readCappedSync(
        'big.txt',
        fileOf({ isFile: () => true, size: 2 ** 21 }, () => 0, closed),
      ),
    ).toThrow('over the 1 MiB limit');
    expect(closed.count).toBe(3);
  });

  it('reads a small file into a buffer of its size, not of the 1 MiB cap', () => {
    const sizes: number[] = [];
    const small = fileOf(
      { isFile: () => true, size: 5 },
      (_fd, buffer, offset) => {
        sizes.push(buffer.length);
        return offset === 0 ? buffer.write('hello') : 0;
      },
      { count: 0 },
    );
    expect(readCappedSync('small.txt', small).toString()).toBe('hello');
    expect(sizes).toEqual([6, 6]);
  });
});

describe('decodeArticleBytes, UTF-16', () => {
  it('decodes UTF-16 with a byte-order mark, little- and big-endian, instead of calling it binary', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Café opens\n\nIt sold 5 cakes.', 'utf16le')]);
    expect(decodeArticleBytes(le)).toBe('Café opens\n\nIt sold 5 cakes.');
    const be = Buffer.from(le.subarray(2)).swap16();
    expect(decodeArticleBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe('Café opens\n\nIt sold 5 cakes.');
  });

  it('still calls binary data with a byte-order mark binary', () => {
    expect(() => decodeArticleBytes(new Uint8Array([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00]))).toThrow('the file is binary, not text');
  });
});
