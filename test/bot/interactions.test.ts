import {
  DiscordAPIError,
  GuildMemberFlags,
  MessageFlags,
  PermissionFlagsBits,
  PermissionsBitField,
  RESTJSONErrorCodes,
  type APIInteractionGuildMember,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { invokerFrom, isUnanswerableApiError, optionsFrom, withoutFlags } from '../../src/bot/interactions.ts';
import { article } from '../../commands/article.ts';
import { parseArguments } from '../../src/command.ts';
import { describeError, redactSecrets, UserError } from '../../src/errors.ts';
import { renderError } from '../../src/render/discord/replies.ts';

const apiError = (code: number, url = 'https://discord.com/api/v10/interactions/123/secret-token/callback'): DiscordAPIError =>
  new DiscordAPIError({ code, message: 'Unknown interaction' }, code, 404, 'POST', url, { body: undefined, files: undefined });

const member = (roles: string[]): APIInteractionGuildMember => ({
  roles,
  permissions: '0',
  joined_at: '2024-01-01T00:00:00.000Z',
  deaf: false,
  mute: false,
  flags: GuildMemberFlags.CompletedOnboarding,
  user: { id: '1', username: 'u', discriminator: '0', global_name: null, avatar: null },
});

describe('optionsFrom', () => {
  it('reads each option by name with its type', () => {
    const options = optionsFrom([
      { name: 'question', value: 'Who won?' },
      { name: 'private', value: true },
      { name: 'page', value: 2 },
    ]);
    expect([options.get('question'), options.get('private'), options.get('page')]).toEqual(['Who won?', true, 2]);
  });

  it('flattens subcommand options and skips entries without a value', () => {
    const options = optionsFrom([
      {
        name: 'sub',
        value: undefined,
        options: [
          { name: 'topic', value: 'floods' },
          { name: 'empty', value: null },
        ],
      },
    ]);
    expect([options.get('topic'), options.get('sub'), options.get('empty')]).toEqual(['floods', undefined, undefined]);
  });

  it('leaves type errors to the command, as a user error', () => {
    const values = optionsFrom([
      { name: 'id', value: 'x' },
      { name: 'page', value: 'two' },
    ]);
    expect(() => parseArguments(article.data, values)).toThrow(UserError);
  });
});

describe('invokerFrom', () => {
  it('takes the role ids of the member and Manage Server from the computed permissions', () => {
    expect(invokerFrom('42', member(['7', '8']), new PermissionsBitField(PermissionFlagsBits.ManageGuild))).toEqual({
      id: '42',
      roleIds: ['7', '8'],
      canManageGuild: true,
      local: false,
    });
  });

  it('counts Administrator as Manage Server', () => {
    expect(invokerFrom('42', member([]), new PermissionsBitField(PermissionFlagsBits.Administrator)).canManageGuild).toBe(true);
  });

  it('grants nothing outside a guild', () => {
    expect(invokerFrom('42', null, null)).toEqual({ id: '42', roleIds: [], canManageGuild: false, local: false });
  });

  it('does not grant Manage Server for other permissions', () => {
    expect(
      invokerFrom('42', member([]), new PermissionsBitField(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages))
        .canManageGuild,
    ).toBe(false);
  });
});

describe('isUnanswerableApiError', () => {
  it('recognises an expired interaction, missing permissions and a second answer', () => {
    expect(
      [
        RESTJSONErrorCodes.UnknownInteraction,
        RESTJSONErrorCodes.MissingPermissions,
        RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
      ].map((code) => isUnanswerableApiError(apiError(code))),
    ).toEqual([true, true, true]);
  });

  it('does not swallow other errors', () => {
    expect([
      isUnanswerableApiError(apiError(RESTJSONErrorCodes.InvalidFormBodyOrContentType)),
      isUnanswerableApiError(new Error('boom')),
    ]).toEqual([false, false]);
  });
});

describe('redactSecrets', () => {
  it('hides interaction and webhook tokens in URLs', () => {
    expect(redactSecrets('POST /api/v10/interactions/123/aW50ZXJhY3Rpb24/callback and /webhooks/9/tok.en-x/messages/@original')).toBe(
      'POST /api/v10/interactions/123/[redacted]/callback and /webhooks/9/[redacted]/messages/@original',
    );
  });

  it('hides anything shaped like a bot token', () => {
    expect(redactSecrets('token MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123 end')).toBe('token [redacted] end');
  });
});

describe('describeError', () => {
  it('keeps what helps debugging and redacts the interaction token', () => {
    const described = describeError(apiError(RESTJSONErrorCodes.UnknownInteraction));
    expect({ ...described, stack: undefined }).toEqual({
      type: 'DiscordAPIError[10062]',
      message: 'Unknown interaction',
      status: 404,
      method: 'POST',
      url: 'https://discord.com/api/v10/interactions/123/[redacted]/callback',
      code: 10062,
      stack: undefined,
    });
  });

  it('describes things that are not errors', () => {
    expect(describeError('just a string')).toEqual({ message: 'just a string' });
  });
});

describe('withoutFlags', () => {
  it('drops the ephemeral flag, which an edit or update cannot change', () => {
    const payload = renderError('No.');
    expect(payload.flags).toBe(MessageFlags.Ephemeral);
    expect(withoutFlags(payload)).toEqual({ content: '⚠️ No.', embeds: [], components: [], allowedMentions: { parse: [] } });
  });
});
