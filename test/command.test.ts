import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { article } from '../commands/article.ts';
import { askMessage } from '../commands/ask-message.ts';
import { ask } from '../commands/ask.ts';
import { help } from '../commands/help.ts';
import { defineCommand, parseArguments, type ArgumentsOf } from '../src/command.ts';
import { UserError } from '../src/errors.ts';

const probe = {
  type: ApplicationCommandType.ChatInput,
  name: 'probe',
  description: 'A command for type tests',
  options: [
    { type: ApplicationCommandOptionType.String, name: 'topic', description: 'Topic', required: true },
    { type: ApplicationCommandOptionType.Integer, name: 'count', description: 'Count' },
    { type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Private', required: false },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

describe('ArgumentsOf', () => {
  it('types each option from the definition: required ones always there, the rest optional', () => {
    expectTypeOf<ArgumentsOf<typeof probe>>().toEqualTypeOf<{
      readonly topic: string;
      readonly count?: number;
      readonly private?: boolean;
    }>();
    expectTypeOf<ArgumentsOf<typeof ask.data>>().toEqualTypeOf<{ readonly question: string; readonly private?: boolean }>();
    expectTypeOf<ArgumentsOf<typeof article.data>>().toEqualTypeOf<{
      readonly id: string;
      readonly page?: number;
      readonly private?: boolean;
    }>();
    expectTypeOf<ArgumentsOf<typeof askMessage.data>>().toEqualTypeOf<{ readonly message: string }>();
  });

  it('makes a misspelt option name a compile error', () => {
    const command = defineCommand({
      data: probe,
      execute(args) {
        // @ts-expect-error: the definition has no option "topik"
        const misspelt: unknown = args.topik;
        return { kind: 'notice', tone: 'info', text: `${args.topic} ${String(misspelt)}`, ephemeral: false };
      },
    });
    expect(command.data.name).toBe('probe');
  });

  it('gives a command without options no arguments to read', () => {
    const command = defineCommand({
      data: help.data,
      execute(args) {
        // @ts-expect-error: /help has no options
        const none: unknown = args.private;
        return { kind: 'notice', tone: 'info', text: String(none), ephemeral: false };
      },
    });
    expect(command.data.name).toBe('help');
  });
});

describe('parseArguments', () => {
  it('returns the declared options with their values and drops undeclared ones', () => {
    const values = new Map<string, string | number | boolean>([
      ['topic', 'floods'],
      ['count', 3],
      ['stray', 'x'],
    ]);
    expect(parseArguments(probe, values)).toEqual({ topic: 'floods', count: 3 });
  });

  it('refuses a missing required option or a value of the wrong type, as a user error naming the option', () => {
    const refusal = (values: Map<string, string | number | boolean>): string => {
      try {
        parseArguments(probe, values);
        return 'accepted';
      } catch (error) {
        return error instanceof UserError ? `${error.code}: ${error.message}` : 'bug';
      }
    };
    expect([
      refusal(new Map()),
      refusal(new Map<string, string | number | boolean>([['topic', 4]])),
      refusal(
        new Map<string, string | number | boolean>([
          ['topic', 'x'],
          ['count', 1.5],
        ]),
      ),
      refusal(
        new Map<string, string | number | boolean>([
          ['topic', 'x'],
          ['private', 'yes'],
        ]),
      ),
    ]).toEqual([
      'bad-option: Option "topic" is required.',
      'bad-option: Option "topic" must be text.',
      'bad-option: Option "count" must be a whole number.',
      'bad-option: Option "private" must be true or false.',
    ]);
  });

  it('gives a message command the text of its message', () => {
    expect(parseArguments(askMessage.data, new Map([['message', 'Who won?']]))).toEqual({ message: 'Who won?' });
  });
});
