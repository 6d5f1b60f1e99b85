/**
 * The `after:` and `before:` options of /search and /figures, and reading them into a date range.
 */
import { ApplicationCommandOptionType } from 'discord.js';
import { parseDateBound, type DateRange } from './core/date-range.ts';
import { UserError } from './errors.ts';

const BOUND_MAX = 40;

/** Spread into a command's options: `options: [query, ...DATE_OPTIONS]`. */
export const DATE_OPTIONS = [
  {
    type: ApplicationCommandOptionType.String,
    name: 'after',
    description: 'Only articles from this date on: 2023, 2023-05, 2023-05-06 or "May 2023" (undated ones come last)',
    required: false,
    max_length: BOUND_MAX,
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'before',
    description: 'Only articles before this date: 2024 means up to 31 Dec 2023 (undated ones come last)',
    required: false,
    max_length: BOUND_MAX,
  },
] as const;

/**
 * The date range the options ask for. A bound that is not a date is a {@link UserError} naming it;
 * a range that ends before it starts is one too.
 */
export function dateRangeFrom(args: { readonly after?: string; readonly before?: string }, today: Date): DateRange {
  const bound = (name: 'after' | 'before'): string | null => {
    const text = args[name];
    if (text === undefined || text.trim() === '') return null;
    const day = parseDateBound(text, today);
    if (day === null)
      throw new UserError('bad-option', `${name}: "${text.trim()}" is not a date. Write 2023, 2023-05, 2023-05-06 or May 2023.`);
    return day;
  };
  const range = { after: bound('after'), before: bound('before') };
  if (range.after !== null && range.before !== null && range.before <= range.after)
    throw new UserError('bad-option', `before: must be later than after: (${range.before} is not after ${range.after}).`);
  return range;
}
