import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { Choice } from './core/browse.ts';
import type { Library } from './core/library.ts';
import type { Config } from './config.ts';
import type { Cooldown } from './cooldown.ts';
import { UserError } from './errors.ts';
import type { QuestionMemo } from './answer-pages.ts';
import type { Reply } from './replies.ts';

/** Who is running a command, reduced to what permission checks need. */
export interface Invoker {
  readonly id: string;
  readonly roleIds: readonly string[];
  /** Holds Manage Server in the guild where the command runs. */
  readonly canManageGuild: boolean;
  /** Runs it from the local console, which is always allowed everything. */
  readonly local: boolean;
}

/** Everything a handler may use, passed in rather than reached for, so tests build real ones. */
export interface CommandContext {
  readonly library: Library;
  readonly config: Pick<Config, 'adminRoleIds' | 'adminUserIds' | 'askChannelIds' | 'answerOnMention' | 'cooldownSeconds'>;
  readonly now: () => Date;
  readonly startedAt: Date;
  readonly invoker: Invoker;
  readonly memo: QuestionMemo;
  readonly cooldown: Cooldown;
  /** All commands, for /help. */
  readonly commands: ReadonlyMap<string, Command>;
}

export type OptionValue = string | number | boolean;

/** A command's options by name, already parsed by Discord or by the console. */
export class Options {
  readonly #values: ReadonlyMap<string, OptionValue>;

  constructor(values: ReadonlyMap<string, OptionValue> | Iterable<readonly [string, OptionValue]> = []) {
    this.#values = values instanceof Map ? (values as ReadonlyMap<string, OptionValue>) : new Map(values);
  }

  string(name: string): string | null {
    const value = this.#values.get(name);
    if (value === undefined) return null;
    if (typeof value !== 'string') throw new UserError('bad-option', `Option "${name}" must be text.`);
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === null) throw new UserError('bad-option', `Option "${name}" is required.`);
    return value;
  }

  boolean(name: string): boolean | null {
    const value = this.#values.get(name);
    if (value === undefined) return null;
    if (typeof value !== 'boolean') throw new UserError('bad-option', `Option "${name}" must be true or false.`);
    return value;
  }

  integer(name: string): number | null {
    const value = this.#values.get(name);
    if (value === undefined) return null;
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw new UserError('bad-option', `Option "${name}" must be a whole number.`);
    return value;
  }
}

/** A reply to a button press: a new message, or an update of the message that holds the button. */
export type ButtonReply = Reply & { readonly update: boolean };

/** Where the pressed button sits. */
export interface ButtonSource {
  /** The message holding the button is ephemeral (only the presser sees it). */
  readonly ephemeral: boolean;
}

export type ButtonHandler = (args: readonly string[], context: CommandContext, source: ButtonSource) => Promise<ButtonReply> | ButtonReply;

/**
 * One command, shared by Discord and the console. `data` is its Discord definition; `execute`
 * parses options, calls the core and returns a {@link Reply} for a renderer.
 */
export interface Command {
  readonly data: RESTPostAPIApplicationCommandsJSONBody;
  /** For /help; absent for commands that are not typed (context menus). */
  readonly usage?: string;
  /** Only admins may run it (checked at run time as well as by Discord's default permissions). */
  readonly admin?: boolean;
  /** Counts against the per-user cooldown. */
  readonly cooldown?: boolean;
  /** Acknowledge at once, before the work starts, because it may take longer than Discord's 3 s. */
  readonly defer?: 'ephemeral' | 'public';
  execute(options: Options, context: CommandContext): Promise<Reply>;
  autocomplete?(option: string, typed: string, context: CommandContext): readonly Choice[];
  /** Button handlers, by the first part of the button's custom id (`more` in `more:abc:3`). */
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
}

export const CUSTOM_ID_SEPARATOR = ':';
export const MAX_CUSTOM_ID = 100;

/** Builds a button custom id, `prefix:arg:arg`, refusing one over Discord's 100 characters. */
export function customId(prefix: string, ...args: readonly (string | number)[]): string {
  const id = [prefix, ...args.map(String)].join(CUSTOM_ID_SEPARATOR);
  if (id.length > MAX_CUSTOM_ID) throw new Error(`custom id over ${MAX_CUSTOM_ID} characters: ${id.slice(0, 40)}…`);
  return id;
}

/** Whether an invoker may run admin commands: Manage Server, a listed user, or a listed role. */
export function isAdmin(invoker: Invoker, config: Pick<Config, 'adminRoleIds' | 'adminUserIds'>): boolean {
  return (
    invoker.local ||
    invoker.canManageGuild ||
    config.adminUserIds.includes(invoker.id) ||
    invoker.roleIds.some((role) => config.adminRoleIds.includes(role))
  );
}
