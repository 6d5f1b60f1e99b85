/**
 * Dates beside quoted text, shared by the Discord and terminal renderers: a citation's source and
 * human date, relative dates resolved against their article's date, and a note when the passages
 * of one answer come from articles of different dates.
 */
import { humanDate, resolveRelativeDates } from '../core/dates.ts';
import type { Citation, RankedPassage } from '../core/types.ts';

/** `Sky News Arabia · 6 Nov 2023`, `6 Nov 2023`, `Sky News Arabia`, or null when the article has neither. */
export function sourceAndDate(citation: Pick<Citation, 'source' | 'date'>): string | null {
  const parts = [citation.source?.trim() ?? '', citation.date === null ? '' : humanDate(citation.date)].filter((p) => p.length > 0);
  return parts.length === 0 ? null : parts.join(' · ');
}

/** The date of the article a citation number names, if it has one. */
export function citedDate(citations: readonly Citation[], n: number): string | null {
  return citations.find((c) => c.n === n)?.date ?? null;
}

/**
 * What a figure's relative date means, to show beside it: `May 2023` for "in May" in a story of
 * November 2023. Null when the figure states no relative date or its article is undated.
 */
export function figureDate(figureText: string, articleDate: string | null): string | null {
  return resolveRelativeDates(figureText, articleDate)[0]?.resolved ?? null;
}

/** The relative dates of a passage and what they mean: `in May: May 2023; last month: Oct 2023`, or null. */
export function passageDates(text: string, articleDate: string | null): string | null {
  const found = resolveRelativeDates(text, articleDate);
  return found.length === 0 ? null : found.map((d) => `${d.text}: ${d.resolved}`).join('; ');
}

/**
 * When an answer's passages come from articles of different dates, says so with each one's date:
 * `From articles of different dates: [1] 6 Nov 2023, [2] 2 Mar 2024, [3] undated.` Null otherwise.
 */
export function differentDatesNote(passages: readonly RankedPassage[], citations: readonly Citation[]): string | null {
  const cited = [...new Set(passages.map((p) => p.citation))].toSorted((a, b) => a - b);
  const dates = cited.map((n) => citedDate(citations, n));
  if (new Set(dates).size < 2) return null;
  const each = cited.map((n, i) => {
    const date = dates[i] ?? null;
    return `[${n}] ${date === null ? 'undated' : humanDate(date)}`;
  });
  return `From articles of different dates: ${each.join(', ')}.`;
}
