import { beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../commands/index.ts';
import { customId, isAdmin, type CommandContext, type Invoker } from '../src/command.ts';
import { parseConfig } from '../src/config.ts';
import { Cooldown } from '../src/cooldown.ts';
import { Library } from '../src/core/library.ts';
import { pressButton, runCommand } from '../src/dispatch.ts';
import { UserError } from '../src/errors.ts';
import { AnswerPages } from '../src/answer-pages.ts';
import { createLogger } from '../src/logger.ts';

const commands = loadCommands();
const member: Invoker = { id: '100000000000000001', roleIds: ['200000000000000001'], canManageGuild: false, local: false };
let library: Library;
let clock = new Date('2026-01-01T00:00:00Z');

beforeAll(async () => {
  library = await Library.open({ seedsDir: 'seeds' });
});

function contextFor(invoker: Invoker, env: Record<string, string> = {}): CommandContext {
  const config = parseConfig({ COOLDOWN_SECONDS: '5', ...env });
  return {
    library,
    config,
    now: () => clock,
    startedAt: clock,
    invoker,
    answerPages: new AnswerPages(),
    logger: createLogger('silent'),
    cooldown: new Cooldown(config.cooldownSeconds, () => clock),
    commands,
  };
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'none';
  } catch (error) {
    return error instanceof UserError ? error.code : 'bug';
  }
}

describe('runCommand', () => {
  const reindex = commands.get('reindex');
  const ask = commands.get('ask');
  if (!reindex || !ask) throw new Error('commands missing');

  it('refuses /reindex to a member without Manage Server or an admin role, and runs nothing', async () => {
    const before = library.archive;
    expect(await errorCode(runCommand(reindex, new Map(), contextFor(member)))).toBe('not-allowed');
    expect(library.archive).toBe(before);
  });

  it('lets an admin role, an admin user or Manage Server reindex', async () => {
    expect(isAdmin(member, contextFor(member, { ADMIN_ROLE_IDS: '200000000000000001' }).config)).toBe(true);
    expect(isAdmin(member, contextFor(member, { ADMIN_USER_IDS: '100000000000000001' }).config)).toBe(true);
    const reply = await runCommand(reindex, new Map(), contextFor({ ...member, canManageGuild: true }));
    expect(reply).toMatchObject({ kind: 'reindex', ephemeral: true });
  });

  it('applies the per-user cooldown to questions', async () => {
    const context = contextFor(member);
    const options = new Map([['question', 'What death toll has the Syrian war reached?']]);
    expect((await runCommand(ask, options, context)).kind).toBe('answer');
    expect(await errorCode(runCommand(ask, options, context))).toBe('cooldown');
    clock = new Date(clock.getTime() + 5000);
    expect((await runCommand(ask, options, context)).kind).toBe('answer');
  });

  it('does not charge the cooldown for a question it refuses', async () => {
    const context = contextFor(member);
    expect(await errorCode(runCommand(ask, new Map([['question', '   ']]), context))).toBe('empty-question');
    expect((await runCommand(ask, new Map([['question', 'What death toll has the Syrian war reached?']]), context)).kind).toBe('answer');
  });

  it('refuses empty and over-long questions with clear errors', async () => {
    const context = contextFor(member, { COOLDOWN_SECONDS: '0' });
    expect(await errorCode(runCommand(ask, new Map([['question', ' \u200b ']]), context))).toBe('empty-question');
    expect(await errorCode(runCommand(ask, new Map([['question', 'why '.repeat(130)]]), context))).toBe('question-too-long');
  });
});

describe('pressButton', () => {
  it('pages an answer with "More passages", and says when the question is forgotten', async () => {
    const context = contextFor(member, { COOLDOWN_SECONDS: '0' });
    const ask = commands.get('ask');
    if (!ask) throw new Error('no /ask');
    const reply = await runCommand(ask, new Map([['question', 'Assad Syria Turkey']]), context);
    const more = reply.buttons?.find((b) => b.label === 'More passages');
    expect(more?.customId).toMatch(/^more:[\w-]{12}:3$/u);
    const next = await pressButton(commands, more?.customId ?? '', context, { ephemeral: false });
    expect(next).toMatchObject({ kind: 'answer', ephemeral: true, update: false });
    expect(next.kind === 'answer' && next.answer.passages[0]?.rank).toBe(4);
    expect(await errorCode(pressButton(commands, 'more:unknownkey12:3', context, { ephemeral: false }))).toBe('expired');
    expect(await errorCode(pressButton(commands, 'gone:1', context, { ephemeral: false }))).toBe('expired');
  });

  it('opens the full article, and turns its pages in place when the message is ephemeral', async () => {
    const context = contextFor(member);
    const full = await pressButton(commands, customId('full', '000_ebfcda1f30342ff9'), context, { ephemeral: false });
    expect(full).toMatchObject({ kind: 'article', ephemeral: true, update: false });
    const page = await pressButton(commands, customId('page', '000_ebfcda1f30342ff9', 1), context, { ephemeral: true });
    expect(page.update).toBe(true);
  });
});

describe('buttons after a reindex', () => {
  it('"Full article" for an article a reindex removed says so, and never shows the internal key', async () => {
    const context = contextFor(member);
    let message = '';
    try {
      await pressButton(commands, customId('full', 'jQAQjHs5fZVP'), context, { ephemeral: false });
    } catch (error) {
      message = error instanceof UserError ? `${error.code}: ${error.message}` : 'bug';
    }
    expect(message).toBe(
      'article-removed: This article was removed from the archive in a reindex after this answer was given. Ask again to search the current articles.',
    );
    expect(await errorCode(pressButton(commands, customId('page', 'jQAQjHs5fZVP', 2), context, { ephemeral: true }))).toBe(
      'article-removed',
    );
  });
});

describe('customId', () => {
  it('refuses ids over Discord’s 100 characters', () => {
    expect(() => customId('more', 'x'.repeat(100))).toThrow(/over 100 characters/u);
  });
});
