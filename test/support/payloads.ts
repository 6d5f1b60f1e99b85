/**
 * Typed views of the request bodies the bot sends (as recorded by the fake), and checks that no
 * text in them can ping anyone. The shapes themselves are checked against Discord's OpenAPI spec
 * elsewhere (spec.ts); these only give the tests typed access.
 */
import { expect } from 'vitest';
import { matches, routes, type RecordedRequest, type RequestMatcher } from './fake-discord/index.ts';

export interface EmbedField {
  readonly name: string;
  readonly value: string;
  readonly inline?: boolean;
}

export interface Embed {
  readonly title?: string;
  readonly description?: string;
  readonly url?: string;
  readonly color?: number;
  readonly fields?: readonly EmbedField[];
  readonly footer?: { readonly text: string };
  /** `attachment://<name>` for a file uploaded with the message. */
  readonly image?: { readonly url: string };
}

export interface Button {
  readonly type: number;
  readonly style: number;
  readonly label: string;
  readonly custom_id: string;
  readonly disabled: boolean;
}

export interface ActionRow {
  readonly type: number;
  readonly components: readonly Button[];
}

export interface AllowedMentions {
  readonly parse: readonly string[];
  readonly replied_user?: boolean;
  readonly users?: readonly string[];
  readonly roles?: readonly string[];
}

/** A message body: a callback's `data`, a PATCH of @original, or a channel message. */
export interface MessageBody {
  readonly content?: string;
  readonly embeds?: readonly Embed[];
  readonly components?: readonly ActionRow[];
  readonly allowed_mentions?: AllowedMentions;
  readonly flags?: number;
  readonly message_reference?: Readonly<Record<string, unknown>>;
  readonly choices?: readonly { readonly name: string; readonly value: string }[];
}

export interface CallbackBody {
  readonly type: number;
  readonly data?: MessageBody;
}

function objectBody(req: RecordedRequest): object {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error(`expected a JSON object body in ${req.method} ${req.path}, got ${JSON.stringify(body)}`);
  }
  return body;
}

/** The body of an interaction callback. */
export function callbackBody(req: RecordedRequest): CallbackBody {
  const body = objectBody(req);
  if (!('type' in body) || typeof body.type !== 'number') throw new Error(`not an interaction callback: ${JSON.stringify(body)}`);
  return body as CallbackBody;
}

/** The message of a type 4 callback, or of a PATCH/POST message request. */
export function messageBody(req: RecordedRequest): MessageBody {
  const body = objectBody(req);
  if (req.path.endsWith('/callback')) {
    const data = callbackBody(req).data;
    if (data === undefined) throw new Error(`the callback has no data: ${JSON.stringify(body)}`);
    return data;
  }
  // Every property of MessageBody is optional; the spec check vouches for the shape.
  return body;
}

/** The one embed of a message (fails when there is not exactly one). */
export function onlyEmbed(message: MessageBody): Embed {
  expect(message.embeds).toHaveLength(1);
  const embed = message.embeds?.[0];
  if (embed === undefined) throw new Error('no embed');
  return embed;
}

/** The embed's field of that name (fails when missing). */
export function field(embed: Embed, name: string): EmbedField {
  const found = embed.fields?.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no field "${name}" in ${JSON.stringify(embed.fields?.map((f) => f.name))}`);
  return found;
}

/** Every button, in order, as [label, custom_id]. */
export function buttons(message: MessageBody): [string, string][] {
  return (message.components ?? []).flatMap((row) => row.components.map((b): [string, string] => [b.label, b.custom_id]));
}

/** The custom id of the button with that label (fails when missing). */
export function buttonId(message: MessageBody, label: string): string {
  const found = buttons(message).find(([l]) => l === label);
  if (found === undefined) throw new Error(`no button "${label}" in ${JSON.stringify(buttons(message))}`);
  return found[1];
}

/** All text a message shows: content, and every embed's title, description, field names and values, footer. */
export function visibleTexts(message: MessageBody): string[] {
  const texts: string[] = [];
  if (message.content !== undefined) texts.push(message.content);
  for (const embed of message.embeds ?? []) {
    texts.push(embed.title ?? '', embed.description ?? '', embed.footer?.text ?? '');
    for (const f of embed.fields ?? []) texts.push(f.name, f.value);
  }
  for (const row of message.components ?? []) for (const b of row.components) texts.push(b.label);
  return texts.filter((t) => t.length > 0);
}

/**
 * Mention syntax Discord would act on: `@everyone`, `@here`, and user, role and channel tags.
 * (The renderer breaks them with a zero-width space after `@` or `<`.)
 */
const PINGS = /@(?:everyone|here)|<@[!&]?\d+>|<#\d+>/giu;

/**
 * Asserts that a message can ping nobody: `allowed_mentions.parse` is empty (and no user or role
 * is allowed) and no visible text holds live mention syntax.
 */
export function expectCannotPing(message: MessageBody): void {
  expect(message.allowed_mentions?.parse).toEqual([]);
  expect(message.allowed_mentions?.users ?? []).toEqual([]);
  expect(message.allowed_mentions?.roles ?? []).toEqual([]);
  for (const text of visibleTexts(message)) expect(text.match(PINGS), text).toBeNull();
}

/** Text without the bold markers, to compare a passage whatever words are highlighted. */
export function withoutBold(text: string): string {
  return text.replaceAll('**', '');
}

/** The title of the embed a deferred /reindex reply is edited with while it runs. */
export const PROGRESS_TITLE = 'Reindexing…';

/** Whether a request edits a deferred reply with progress (a "Reindexing…" embed), not with its outcome. */
export function isProgressEdit(req: RecordedRequest): boolean {
  const body = req.body;
  if (req.method !== 'PATCH' || typeof body !== 'object' || body === null || !('embeds' in body) || !Array.isArray(body.embeds))
    return false;
  const embeds: unknown[] = body.embeds;
  const first = embeds[0];
  return typeof first === 'object' && first !== null && 'title' in first && first.title === PROGRESS_TITLE;
}

/** The edit of an interaction's deferred reply that carries its outcome: progress edits come before it. */
export function outcomeEdit(interaction: Parameters<typeof routes.editOriginal>[0]): RequestMatcher {
  const edit = routes.editOriginal(interaction);
  return (req) => matches(edit, req) && !isProgressEdit(req);
}
