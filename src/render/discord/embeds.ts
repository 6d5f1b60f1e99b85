/** One embed laid out within Discord's limits, from lines of segments. */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { safeUrl } from './escaping.ts';
import { LIMITS, MIN_PARTIAL, fitEntries, fitLine, fitPlain, type Line } from './fitting.ts';

/** Kept free for the description while fields are laid out, so fields can never crowd it out. */
const DESCRIPTION_RESERVE = 2000;
const MAX_FOOTER = 512;

export interface FieldSpec {
  readonly name: Line;
  readonly entries: readonly (readonly Line[])[];
  readonly more?: (hidden: number) => string;
}

export interface EmbedSpec {
  readonly color: number;
  readonly title?: Line;
  readonly url?: string | null;
  readonly description?: readonly (readonly Line[])[];
  readonly descriptionSeparator?: string;
  readonly descriptionMore?: (hidden: number) => string;
  readonly fields?: readonly FieldSpec[];
  readonly footer?: string;
}

/** The characters Discord counts towards an embed's 6,000: title, description, field names and values, footer, author. */
export function embedLength(embed: APIEmbed): number {
  let total =
    (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

/**
 * Lays out one embed against a shared 6,000-character budget: title and footer first (short), then
 * fields with room held back for the description, then the description with whatever is left.
 * Every part is fitted to `min(its own limit, what is left)`, so the sum cannot exceed 6,000.
 */
export function buildEmbed(spec: EmbedSpec): APIEmbed {
  let left: number = LIMITS.embedTotal;
  const room = (limit: number, reserve = 0): number => Math.max(0, Math.min(limit, left - reserve));
  const embed: APIEmbed = { color: spec.color };

  if (spec.title) {
    const title = fitLine(spec.title, room(LIMITS.title)).text;
    if (title.length > 0) {
      embed.title = title;
      left -= title.length;
    }
  }
  const url = safeUrl(spec.url);
  if (url !== null && embed.title !== undefined) embed.url = url;
  if (spec.footer !== undefined) {
    const footer = fitPlain(spec.footer, room(Math.min(LIMITS.footer, MAX_FOOTER)));
    if (footer.length > 0) {
      embed.footer = { text: footer };
      left -= footer.length;
    }
  }

  const reserve = spec.description ? DESCRIPTION_RESERVE : 0;
  const fields: APIEmbedField[] = [];
  for (const field of spec.fields ?? []) {
    if (fields.length >= LIMITS.fields) break;
    const name = fitLine(field.name, room(LIMITS.fieldName, reserve)).text;
    const valueRoom = room(LIMITS.fieldValue, reserve + name.length);
    if (name.length === 0 || valueRoom < MIN_PARTIAL) continue;
    const value = fitEntries(field.entries, valueRoom, field.more ? { more: field.more } : {});
    if (value.trim().length === 0) continue;
    fields.push({ name, value });
    left -= name.length + value.length;
  }
  if (fields.length > 0) embed.fields = fields;

  if (spec.description) {
    const options = { separator: spec.descriptionSeparator ?? '\n', ...(spec.descriptionMore ? { more: spec.descriptionMore } : {}) };
    const description = fitEntries(spec.description, room(LIMITS.description), options);
    if (description.trim().length > 0) embed.description = description;
  }
  return embed;
}

/** The line that says how many entries did not fit. */
export const moreLine =
  (hint = '') =>
  (hidden: number): string =>
    `…and ${hidden} more${hint}`;
