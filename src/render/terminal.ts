import type { Answer, Citation, CitedFigure, Span } from '../core/types.ts';
import type { Reply } from '../replies.ts';
import { humanDate } from '../core/dates.ts';
import { citedDate, differentDatesNote, figureDate, passageDates, sourceAndDate } from './answer-dates.ts';
import { cleanText } from './clean-text.ts';
import { disagreementNotes, reportedNote, timelineHeading } from './timeline-text.ts';
import type { Timeline, TimelinePoint } from '../core/timeline.ts';
import { formatDuration } from '../core/durations.ts';

export interface TerminalStyle {
  /** Use ANSI bold for highlights and headings (only for a real terminal). */
  readonly color: boolean;
}

const PLAIN: TerminalStyle = { color: false };

/** Ids of an article's word-for-word copies named under a search hit. */
const COPIES_SHOWN = 5;

/**
 * Removes characters that could move the cursor, retitle or recolour the terminal, or reorder text
 * (escape sequences, other controls, bidi overrides). Everything this renderer prints that comes from
 * articles, file names or users goes through it; only its own bold codes are added afterwards.
 */
export function sanitiseForTerminal(text: string): string {
  return cleanText(text);
}

function bold(text: string, style: TerminalStyle): string {
  return style.color ? `\u001b[1m${text}\u001b[22m` : text;
}

function highlighted(text: string, spans: readonly Span[], style: TerminalStyle): string {
  if (!style.color || spans.length === 0) return sanitiseForTerminal(text);
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    out += sanitiseForTerminal(text.slice(at, span.start)) + bold(sanitiseForTerminal(text.slice(span.start, span.end)), style);
    at = span.end;
  }
  return out + sanitiseForTerminal(text.slice(at));
}

function sourceLine(citation: Citation): string {
  const parts = [`[${citation.n}] ${sanitiseForTerminal(citation.title)}`];
  const about = sourceAndDate(citation);
  if (about !== null) parts.push(sanitiseForTerminal(about));
  parts.push(sanitiseForTerminal(citation.url ?? citation.articleId));
  return parts.join(' — ');
}

/** `in May (May 2023) (date) [1]`: the figure as written, what its relative date means, its kind and citation. */
function figureLine(figure: CitedFigure, citations: readonly Citation[]): string {
  const resolved = figureDate(figure.text, citedDate(citations, figure.citation));
  const note = resolved === null ? '' : ` (${sanitiseForTerminal(resolved)})`;
  return `${sanitiseForTerminal(figure.text)}${note} (${figure.kind}) [${figure.citation}]`;
}

/** ` (reported 12 Jun 2023)` after a point placed at the time its sentence names. */
const reported = (point: TimelinePoint): string => {
  const note = reportedNote(point);
  return note === null ? '' : ` (${note})`;
};

/** A timeline as text: one line per point in date order, the dates aligned, then a note per date the articles disagree on. */
function timelineLines(timeline: Timeline, style: TerminalStyle): string[] {
  const days = timeline.points.map((p) => p.when);
  const width = Math.max(...days.map((d) => d.length));
  const disputed = new Set(timeline.disagreements.flatMap((d) => d.points.map((p) => p.figure)));
  return [
    bold(timelineHeading(timeline), style),
    ...timeline.points.map(
      (p, i) =>
        `  ${(days[i] ?? '').padEnd(width)}  ${sanitiseForTerminal(p.figure.text)} [${p.figure.citation}]${reported(p)}${disputed.has(p.figure) ? ' (disputed)' : ''}`,
    ),
    ...disagreementNotes(timeline).map((note) => `  ${sanitiseForTerminal(note)}`),
  ];
}

/** ` (6 Nov 2023)` after a title, or nothing for an undated article. */
const dated = (date: string | null): string => (date === null ? '' : ` — ${sanitiseForTerminal(humanDate(date))}`);

/**
 * Renders an answer as terminal text: the direct answer, the passages with [n] markers, the
 * figures and the sources.
 */
export function renderAnswerText(answer: Answer, style: TerminalStyle = PLAIN): string {
  const lines = [`${bold('Q:', style)} ${sanitiseForTerminal(answer.question)}`];
  if (!answer.answered) {
    lines.push(`No answer in the articles. ${sanitiseForTerminal(answer.reason ?? '')}`.trimEnd());
    if (answer.closest.length > 0) {
      lines.push('', bold('Closest articles', style));
      for (const ref of answer.closest)
        lines.push(`  • ${sanitiseForTerminal(ref.title)}${dated(ref.date)} (${sanitiseForTerminal(ref.articleId)})`);
    }
    return lines.join('\n');
  }
  // Answered, but the figure asked for is not in the passages found: say so before them.
  if (answer.reason !== null && answer.reason.trim().length > 0) lines.push(sanitiseForTerminal(answer.reason));
  if (answer.answer !== null) {
    const citation = answer.figures.find((f) => f.text === answer.answer)?.citation ?? answer.passages[0]?.citation;
    lines.push(`${bold('A:', style)} ${sanitiseForTerminal(answer.answer)}${citation === undefined ? '' : ` [${citation}]`}`);
  }
  for (const p of answer.passages) {
    const dates = passageDates(p.passage.text, citedDate(answer.citations, p.citation));
    lines.push(
      '',
      `${p.rank}. ${highlighted(p.passage.text, p.highlights, style)} [${p.citation}]${dates === null ? '' : ` (${sanitiseForTerminal(dates)})`}`,
      `   — ¶${p.passage.paragraph}, ${sanitiseForTerminal(p.passage.articleId)}`,
    );
  }
  const mixed = differentDatesNote(answer.passages, answer.citations);
  if (mixed !== null) lines.push('', mixed);
  if (answer.dateNote !== undefined) lines.push(...(mixed === null ? [''] : []), sanitiseForTerminal(answer.dateNote));
  if (answer.figures.length > 0) {
    lines.push('', bold('Figures', style));
    for (const f of answer.figures) lines.push(`  • ${figureLine(f, answer.citations)}`);
  }
  if (answer.citations.length > 0) {
    lines.push('', bold('Sources', style));
    for (const c of answer.citations) lines.push(`  ${sourceLine(c)}`);
  }
  return lines.join('\n');
}

/** `1 article`, `2,225 articles`. */
function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : `${noun}s`}`;
}

/** `3 Dec 2026, 14:42 UTC`: a date and time for people, not ISO. */
function humanTime(date: Date): string {
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `${day}, ${date.toISOString().slice(11, 16)} UTC`;
}

/** ` — 2 copies word for word (also tech/333)`: one search hit standing for a story filed more than once. */
function copiesNote(copies: readonly string[]): string {
  if (copies.length === 0) return '';
  const shown = copies.slice(0, COPIES_SHOWN).map(sanitiseForTerminal).join(', ');
  const more = copies.length > COPIES_SHOWN ? `, … (${copies.length - COPIES_SHOWN} more)` : '';
  return ` — ${(copies.length + 1).toLocaleString('en-US')} copies word for word (also ${shown}${more})`;
}

/** Renders any command reply as terminal text, showing what Discord users would get. */
export function renderReplyText(reply: Reply, style: TerminalStyle = PLAIN): string {
  // Everything in a console is seen by its one user: Discord's "only you can see this" means nothing here.
  const prefix = '';
  switch (reply.kind) {
    case 'answer':
      return prefix + renderAnswerText(reply.answer, style);
    case 'search': {
      if (reply.hits.length === 0) return `${prefix}No articles match "${sanitiseForTerminal(reply.query)}".`;
      const lines = [`${bold('Articles matching', style)} "${sanitiseForTerminal(reply.query)}"`];
      reply.hits.forEach((hit, i) => {
        lines.push(
          `${i + 1}. ${sanitiseForTerminal(hit.title)}${dated(hit.date)}`,
          `   ${sanitiseForTerminal(hit.snippet)}`,
          `   id: ${sanitiseForTerminal(hit.articleId)}${copiesNote(hit.copies)}`,
        );
      });
      return prefix + lines.join('\n');
    }
    case 'figures': {
      const { result } = reply;
      if (result.figures.length === 0)
        return `${prefix}No figures found about "${sanitiseForTerminal(result.topic)}". ${sanitiseForTerminal(result.reason ?? '')}`.trimEnd();
      const lines = [`${bold('Figures about', style)} "${sanitiseForTerminal(result.topic)}"`];
      for (const f of result.figures) lines.push(`  • ${figureLine(f, result.citations)}`, `    “${sanitiseForTerminal(f.sentence)}”`);
      if (result.timeline !== null) lines.push('', ...timelineLines(result.timeline, style));
      lines.push('', bold('Sources', style), ...result.citations.map((c) => `  ${sourceLine(c)}`));
      return prefix + lines.join('\n');
    }
    case 'article': {
      const { page } = reply;
      const a = page.article;
      const meta = [a.date, a.author, a.source, a.url].filter((x): x is string => x !== null).map(sanitiseForTerminal);
      const lines = [bold(sanitiseForTerminal(a.title), style)];
      if (meta.length > 0) lines.push(meta.join(' — '));
      lines.push(`id: ${sanitiseForTerminal(a.id)} — page ${page.page} of ${page.pages}`, '');
      for (const p of page.paragraphs) lines.push(`¶${p.n} ${sanitiseForTerminal(p.text)}`, '');
      if (page.page < page.pages) lines.push(`(next page: /article id:${sanitiseForTerminal(a.id)} page:${page.page + 1})`);
      return prefix + lines.join('\n').trimEnd();
    }
    case 'reindex': {
      const s = reply.summary;
      const lines = [
        `Reindexed in ${formatDuration(s.ms)}: ${count(s.articles, 'article')}, ${count(s.passages, 'passage')}, ${count(s.figures, 'figure')}.`,
        `Added ${s.added.length}, changed ${s.changed.length}, removed ${s.removed.length}.`,
      ];
      for (const [label, ids] of [
        ['added', s.added],
        ['changed', s.changed],
        ['removed', s.removed],
      ] as const) {
        if (ids.length > 0)
          lines.push(
            `  ${label}: ${sanitiseForTerminal(ids.slice(0, 20).join(', '))}${ids.length > 20 ? `, … (${ids.length - 20} more)` : ''}`,
          );
      }
      if (s.problems.length > 0) {
        lines.push(`Problems (${s.problems.length}):`);
        for (const p of s.problems.slice(0, 20)) lines.push(`  ${sanitiseForTerminal(p.file)}: ${sanitiseForTerminal(p.reason)}`);
      }
      return prefix + lines.join('\n');
    }
    case 'feeds': {
      if (reply.feeds.length === 0) return `${prefix}No feeds are followed. Add one with /feeds add url:<feed address>.`;
      const lines = [bold(`News feeds (${reply.feeds.length.toLocaleString('en-US')})`, style)];
      for (const feed of reply.feeds) {
        const url = sanitiseForTerminal(feed.url);
        lines.push(`  • ${feed.title === null ? url : `${sanitiseForTerminal(feed.title)} — ${url}`}`);
        lines.push(
          feed.lastPollAt === null
            ? '    not polled yet'
            : `    last poll ${humanTime(new Date(feed.lastPollAt))}: ${count(feed.newArticles, 'new article')}, ${count(feed.totalArticles, 'article')} in all`,
        );
        if (feed.lastError !== null) lines.push(`    last error: ${sanitiseForTerminal(feed.lastError)}`);
      }
      return prefix + lines.join('\n');
    }
    case 'help': {
      const { status } = reply;
      const lines = [
        bold('Factdesk', style) + ' answers questions from the news archive, quoting the articles.',
        '',
        bold('Commands', style),
      ];
      for (const c of reply.commands) lines.push(`  ${c.usage}`, `      ${c.description}`);
      lines.push('', bold('When it answers', style), ...reply.triggers.map((t) => `  • ${t}`), '', bold('Index', style));
      lines.push(
        `  ${count(status.articles, 'article')}, ${count(status.passages, 'passage')}, ${count(status.figures, 'figure')}${status.problems > 0 ? ` (${count(status.problems, 'file')} skipped)` : ''}`,
        `  built ${humanTime(status.builtAt)}; last reindex ${status.lastReindex === null ? 'none since start' : humanTime(status.lastReindex)}; up ${formatDuration(status.uptimeMs)}`,
      );
      return prefix + lines.join('\n');
    }
    case 'notice':
      return prefix + (reply.tone === 'error' ? `Error: ${sanitiseForTerminal(reply.text)}` : sanitiseForTerminal(reply.text));
  }
}
