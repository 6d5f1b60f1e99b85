/**
 * Docker is not available where the tests run, so these check that the deployment files run what
 * the repository has: the start command, the paths they copy, the volumes and variables they set.
 * The HEALTHCHECK command itself runs against a live bot in test/e2e/health.e2e.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string): string => readFileSync(file, 'utf8');
const startScript = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
const dockerfile = read('Dockerfile').replace(/\\\n/gu, ' ');
const instructions = (name: string): string[] =>
  [...dockerfile.matchAll(new RegExp(`^${name} (.*)$`, 'gmu'))].map((m) => (m[1] ?? '').trim());

describe('Dockerfile', () => {
  it('starts what npm start starts, as JSON so that node gets SIGTERM, and stops with SIGTERM', () => {
    expect(startScript).toBe('node dist/src/main.js');
    expect(instructions('CMD').at(-1)).toBe(JSON.stringify((startScript ?? '').split(' ')).replaceAll(',', ', '));
    expect(instructions('STOPSIGNAL')).toEqual(['SIGTERM']);
    // tsconfig.build.json compiles src/main.ts to the file the CMD runs.
    const build = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(build.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
  });

  it('builds in one stage, and runs the production install as a user that is not root', () => {
    expect(instructions('FROM')).toEqual(['node:20-bookworm-slim AS build', 'node:20-bookworm-slim']);
    const runs = instructions('RUN');
    expect(runs).toContain('npm run build');
    expect(runs.some((r) => r.startsWith('npm ci --omit=dev'))).toBe(true);
    expect(instructions('USER')).toEqual(['node']);
    expect(read('.nvmrc').trim()).toBe('20');
  });

  it('copies only paths that exist', () => {
    for (const copy of instructions('COPY').filter((c) => !c.startsWith('--from'))) {
      const sources = copy.split(/\s+/u).slice(0, -1);
      for (const source of sources) expect(existsSync(source), `COPY ${source}`).toBe(true);
    }
  });

  it('keeps the articles and the data folder in volumes, where SEEDS_DIR and DATA_DIR point', () => {
    expect(dockerfile).toMatch(/SEEDS_DIR=\/seeds/u);
    expect(dockerfile).toMatch(/DATA_DIR=\/data/u);
    expect(instructions('VOLUME')).toEqual(['["/seeds", "/data"]']);
    expect(instructions('HEALTHCHECK')[0]).toContain("'/healthz'");
  });
});

describe('compose.yaml', () => {
  it('builds the Dockerfile, mounts the same volumes, and publishes the health port on loopback only', () => {
    const compose = read('compose.yaml');
    expect(compose).toContain('    build: .\n');
    expect(compose).toContain('      SEEDS_DIR: /seeds\n      DATA_DIR: /data\n');
    expect(compose).toContain('      - ./seeds:/seeds:ro\n      - factdesk-data:/data\n');
    expect(compose).toContain("      - '127.0.0.1:8080:8080'\n");
  });
});

describe('deploy/factdesk.service', () => {
  it('runs the built entrypoint with an environment file and restarts on failure', () => {
    const unit = read('deploy/factdesk.service');
    expect(unit).toContain(`\nExecStart=/usr/bin/${startScript ?? ''}\n`);
    expect(unit).toContain('\nEnvironmentFile=/etc/factdesk/factdesk.env\n');
    expect(unit).toContain('\nRestart=on-failure\n');
    // The exit status src/main.ts uses for a refused token or intents.
    expect(unit).toContain('\nRestartPreventExitStatus=78\n');
    expect(unit).toContain('\nKillSignal=SIGTERM\n');
  });
});
