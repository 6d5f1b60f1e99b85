import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Choice } from './core/browse.ts';
import type { Library } from './core/library.ts';
import type { ProgressListener } from './core/progress.ts';
import type { Config } from './config.ts';
import type { Cooldown } from './cooldown.ts';
import type { FeedPoller } from './feeds/feed-poller.ts';
import { UserError } from './errors.ts';
import type { AnswerPages } from './answer-pages.ts';
import type { Logger } from './logger.ts';
import type { ReplyObserver } from './metrics.ts';
import type { ChartRenderer } from './render/chart-renderer.ts';
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

/**
 * What the front ends (Discord, the console) are given, built once in app.ts and passed in rather
 * than reached for, so tests build real ones.
 */
export interface Services {
  readonly library: Library;
  readonly config: Config;
  readonly now: () => Date;
  readonly startedAt: Date;
  /** The questions behind "More passages" buttons. */
  readonly answerPages: AnswerPages;
  readonly cooldown: Cooldown;
  /** All commands, for /help and for finding a button's handler. */
  readonly commands: ReadonlyMap<string, Command>;
  readonly logger: Logger;
  /** Told about each command reply and channel answer, for the metrics. */
  readonly observer?: ReplyObserver;
  /** The news feeds being polled, for /feeds; absent where nothing polls them (the CLI, most tests). */
  readonly feeds?: Pick<FeedPoller, 'add' | 'remove' | 'list'>;
  /** Draws timeline charts in the chart worker; absent (the CLI, most tests), /figures draws them in this thread. */
  readonly charts?: Pick<ChartRenderer, 'draw'>;
}

/** One run of a command: the services, and who runs it. Everything a handler may use. */
export interface CommandContext extends Services {
  readonly invoker: Invoker;
  /** Told how long work (a reindex) is going, where the front end can show it: the console on a terminal. */
  readonly progress?: ProgressListener;
  /**
   * Acknowledges the command now, before slow work (on Discord, defers the reply unless it is
   * answered or deferred already), so the work cannot make it miss Discord's 3 s. Absent where
   * nothing waits for an acknowledgement (the console).
   */
  readonly acknowledge?: () => Promise<void>;
}

/**
 * A command's Discord definition. Each command writes its own as a literal,
 * `{ … } as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody`, so that its
 * handler's arguments can be computed from it ({@link ArgumentsOf}).
 */
export type CommandData = RESTPostAPIChatInputApplicationCommandsJSONBody | RESTPostAPIContextMenuApplicationCommandsJSONBody;

/** An option value as Discord sends it, or as the console parses it. */
export type OptionValue = string | number | boolean;

/** Option values by name, not yet checked against a command's definition. */
export type OptionValues = ReadonlyMap<string, OptionValue>;

/** The argument under which a message command ("Ask Factdesk") receives the target message's text. */
export const MESSAGE_ARGUMENT = 'message';

/** The argument that names the subcommand run (`add` in `/feeds add url:…`), for commands made of subcommands. */
export const SUBCOMMAND_ARGUMENT = 'subcommand';

type ValueOfType<T> = T extends ApplicationCommandOptionType.String
  ? string
  : T extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : T extends ApplicationCommandOptionType.Boolean
      ? boolean
      : never;

type ArgumentOfOption<O> = O extends { readonly name: infer K extends string; readonly type: infer T }
  ? O extends { readonly required: true }
    ? Readonly<Record<K, ValueOfType<T>>>
    : Partial<Readonly<Record<K, ValueOfType<T>>>>
  : never;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Flatten<T> = { [K in keyof T]: T[K] };

type ArgumentsOfOptions<D> = D extends { readonly options: readonly (infer O)[] }
  ? Flatten<UnionToIntersection<ArgumentOfOption<O>>>
  : // eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- no options, no arguments: reading one fails to compile
    Record<never, never>;

/** One subcommand's arguments: its name under {@link SUBCOMMAND_ARGUMENT}, and its own options. */
type ArgumentsOfSubcommand<S> = S extends { readonly name: infer K extends string }
  ? Flatten<{ readonly [SUBCOMMAND_ARGUMENT]: K } & ArgumentsOfOptions<S>>
  : never;

/**
 * The arguments a handler receives, computed from its command's literal definition: each option
 * by name, with its type, optional unless `required: true`. A message command gets the message's
 * text. A command made of subcommands gets a union, one member per subcommand, told apart by
 * `subcommand`. Reading an option the definition does not declare is a compile error.
 */
export type ArgumentsOf<D> = D extends { readonly type: ApplicationCommandType.Message }
  ? { readonly [MESSAGE_ARGUMENT]: string }
  : D extends { readonly options: readonly (infer O)[] }
    ? [Extract<O, { readonly type: ApplicationCommandOptionType.Subcommand }>] extends [never]
      ? ArgumentsOfOptions<D>
      : ArgumentsOfSubcommand<Extract<O, { readonly type: ApplicationCommandOptionType.Subcommand }>>
    : ArgumentsOfOptions<D>;

/**
 * Options that mean something only on Discord, where a reply can be shown to one person: the
 * console, which has one user, leaves them out of /help and of Tab completion (and accepts them).
 */
export const DISCORD_ONLY_OPTIONS: readonly string[] = ['private'];

const DISCORD_ONLY_USAGE = new RegExp(` \\[(?:${DISCORD_ONLY_OPTIONS.join('|')}):[^\\]]*\\]`, 'gu');

/**
 * A command's usage line as a front end shows it: in the console, without the Discord-only options.
 *
 * @example usageFor('/ask question:<text> [private:true]', true) // '/ask question:<text>'
 */
export function usageFor(usage: string, local: boolean): string {
  return local ? usage.replace(DISCORD_ONLY_USAGE, '') : usage;
}

/** What the console and the argument check need to know of an option. */
export interface OptionSpec {
  readonly name: string;
  readonly type: ApplicationCommandOptionType;
  readonly required: boolean;
}

/**
 * A command's options, in the order its definition lists them; for a command made of subcommands,
 * the options of the subcommand named (none for an unknown one).
 */
export function optionSpecs(data: CommandData, subcommand?: string): OptionSpec[] {
  if (!('options' in data) || data.options === undefined) return [];
  let options: readonly { name: string; type: ApplicationCommandOptionType; required?: boolean }[] = data.options;
  if (subcommand !== undefined) {
    const sub = data.options.find((o) => o.type === ApplicationCommandOptionType.Subcommand && o.name === subcommand);
    options = sub?.type === ApplicationCommandOptionType.Subcommand ? (sub.options ?? []) : [];
  }
  return options.map((o) => ({ name: o.name, type: o.type, required: o.required ?? false }));
}

/** The names of a command's subcommands, in order; empty for a command without them. */
export function subcommandNames(data: CommandData): string[] {
  if (!('options' in data) || data.options === undefined) return [];
  return data.options.filter((o) => o.type === ApplicationCommandOptionType.Subcommand).map((o) => o.name);
}

function typeMismatch(spec: OptionSpec, value: OptionValue): string | null {
  switch (spec.type) {
    case ApplicationCommandOptionType.Boolean:
      return typeof value === 'boolean' ? null : 'must be true or false';
    case ApplicationCommandOptionType.Integer:
      return typeof value === 'number' && Number.isInteger(value) ? null : 'must be a whole number';
    case ApplicationCommandOptionType.Number:
      return typeof value === 'number' ? null : 'must be a number';
    default:
      return typeof value === 'string' ? null : 'must be text';
  }
}

/**
 * Checks option values against a command's definition and returns them as its typed arguments:
 * every required option present, every value of its declared type, undeclared names dropped.
 * Discord and the console both go through here, so a handler sees the same arguments from either.
 *
 * @example parseArguments(ask.data, new Map([['question', 'Who won?']])) // { question: 'Who won?' }
 */
export function parseArguments<D extends CommandData>(data: D, values: OptionValues): ArgumentsOf<D> {
  const args: Record<string, OptionValue> = {};
  if (data.type === ApplicationCommandType.Message) {
    const text = values.get(MESSAGE_ARGUMENT) ?? '';
    args[MESSAGE_ARGUMENT] = typeof text === 'string' ? text : String(text);
  }
  const subcommands = subcommandNames(data);
  let subcommand: string | undefined;
  if (subcommands.length > 0) {
    const named = values.get(SUBCOMMAND_ARGUMENT);
    subcommand = subcommands.find((name) => name === named);
    if (subcommand === undefined)
      throw new UserError('bad-option', `/${data.name} needs one of: ${subcommands.map((name) => `/${data.name} ${name}`).join(', ')}.`);
    args[SUBCOMMAND_ARGUMENT] = subcommand;
  }
  for (const spec of optionSpecs(data, subcommand)) {
    const value = values.get(spec.name);
    if (value === undefined) {
      if (spec.required) throw new UserError('bad-option', `Option "${spec.name}" is required.`);
      continue;
    }
    const mismatch = typeMismatch(spec, value);
    if (mismatch !== null) throw new UserError('bad-option', `Option "${spec.name}" ${mismatch}.`);
    args[spec.name] = value;
  }
  // Checked just above against the definition that ArgumentsOf<D> is computed from.
  return args as ArgumentsOf<D>;
}

/** A reply to a button press: a new message, or an update of the message that holds the button. */
export type ButtonReply = Reply & { readonly update: boolean };

/** Where the pressed button sits. */
export interface ButtonSource {
  /** The message holding the button is ephemeral (only the presser sees it). */
  readonly ephemeral: boolean;
}

export type ButtonHandler = (args: readonly string[], context: CommandContext, source: ButtonSource) => Promise<ButtonReply> | ButtonReply;

/** What every command has besides its definition and handler. */
interface CommandTraits {
  /** For /help; absent for commands that are not typed (context menus). */
  readonly usage?: string;
  /** Only admins may run it (checked at run time as well as by Discord's default permissions). */
  readonly admin?: boolean;
  /** Counts against the per-user cooldown. */
  readonly cooldown?: boolean;
  /** Acknowledge at once, before the work starts, because it may take longer than Discord's 3 s. */
  readonly defer?: 'ephemeral' | 'public';
  autocomplete?(option: string, typed: string, context: CommandContext): readonly Choice[];
  /** Button handlers, by the first part of the button's custom id (`more` in `more:abc:3`). */
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
}

/** A command as its file writes it: a literal definition and a handler typed from it. */
export interface CommandDefinition<D extends CommandData> extends CommandTraits {
  readonly data: D;
  execute(args: ArgumentsOf<D>, context: CommandContext): Promise<Reply> | Reply;
}

/**
 * One command, shared by Discord and the console. `data` is its Discord definition; `execute`
 * checks the option values against it, calls the handler, and returns a {@link Reply} for a renderer.
 */
export interface Command extends CommandTraits {
  readonly data: CommandData;
  execute(values: OptionValues, context: CommandContext): Promise<Reply>;
}

/**
 * Makes a command from its definition: the handler gets arguments typed from `data`, and the
 * command takes unchecked option values from either front end and checks them first.
 */
export function defineCommand<const D extends CommandData>(definition: CommandDefinition<D>): Command & { readonly data: D } {
  return {
    ...definition,
    async execute(values, context) {
      return definition.execute(parseArguments(definition.data, values), context);
    },
  };
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
