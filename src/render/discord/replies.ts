/**
 * The one Discord renderer: turns a platform-neutral {@link Reply} into a discord.js reply payload
 * of plain JSON (content, embeds, button rows), always within Discord's size limits and always
 * with mentions disabled. Each kind of reply has its own embed function.
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
} from 'discord.js';
import type { Choice } from '../../core/browse.ts';
import type { IndexProgress } from '../../core/progress.ts';
import type { Answer, ArticleRef, Citation, CitedFigure, Span } from '../../core/types.ts';
import type { IndexStatus, Reply, ReplyButton } from '../../replies.ts';
import { buildEmbed, moreLine, type FieldSpec } from './embeds.ts';
import { humanDate } from '../../core/dates.ts';
import { citedDate, differentDatesNote, figureDate, passageDates, sourceAndDate } from '../answer-dates.ts';
import { cleanText, oneLine } from '../clean-text.ts';
import { disagreementNotes, reportedNote, timelineHeading } from '../timeline-text.ts';
import type { Timeline } from '../../core/timeline.ts';
import { progressText } from '../progress.ts';
import { ELLIPSIS, LIMITS, bold, code, fitEntries, fitPlain, linked, md, text, type Inline, type Line } from './fitting.ts';
import { formatDuration } from '../../core/durations.ts';

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** A reply as discord.js takes it. Plain JSON, so it is the same for reply, editReply, update and message.reply. */
export interface DiscordPayload {
  content?: string;
  embeds: APIEmbed[];
  /** Attached files (a chart), which an embed shows as `attachment://<name>`. */
  files?: { attachment: Buffer; name: string }[];
  components: ButtonRow[];
  allowedMentions: { parse: [] };
  flags?: MessageFlags.Ephemeral;
}

const FIGURES_SHOWN = 5;

const COLOR = { answer: 0x3b82f6, unanswered: 0x9ca3af, ok: 0x16a34a, error: 0xdc2626, info: 0x6b7280 } as const;

/**
 * Splits a passage into plain and bold segments along its highlight spans. Spans are clamped,
 * merged, trimmed of whitespace, and dropped inside URLs (bold markers would break the link).
 */
export function highlightSegments(passage: string, spans: readonly Span[]): Inline[] {
  const urls = [...passage.matchAll(/https?:\/\/\S+/giu)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const usable = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= passage.length && s.start < s.end)
    .filter((s) => !urls.some((u) => s.start < u.end && u.start < s.end))
    .toSorted((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const span of usable) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  const segments: Inline[] = [];
  let at = 0;
  const plain = (from: number, to: number): void => {
    // Keep single spaces at the edges: oneLine() would trim them and glue words to the bold ones.
    const chunk = cleanText(passage.slice(from, to)).replace(/\s+/gu, ' ');
    if (chunk.length > 0) segments.push({ kind: 'text', raw: chunk });
  };
  for (const span of merged) {
    let { start, end } = span;
    while (start < end && /\s/u.test(passage.charAt(start))) start += 1;
    while (end > start && /\s/u.test(passage.charAt(end - 1))) end -= 1;
    const inner = oneLine(passage.slice(start, end));
    if (inner.length === 0) continue;
    plain(at, start);
    segments.push({ kind: 'bold', raw: inner });
    at = end;
  }
  plain(at, passage.length);
  // The passage's own leading and trailing whitespace.
  const first = segments[0];
  if (first?.kind === 'text') segments[0] = { kind: 'text', raw: first.raw.trimStart() };
  const last = segments.at(-1);
  if (last?.kind === 'text') segments[segments.length - 1] = { kind: 'text', raw: last.raw.trimEnd() };
  return segments.filter((s) => s.kind === 'md' || s.raw.length > 0);
}

function sourceLine(c: Citation): Line {
  const line: Inline[] = [md(`[${c.n}] `), linked(c.title, c.url)];
  const about = sourceAndDate(c);
  if (about !== null) line.push(md(' — '), text(about));
  return line;
}

/** What a figure's relative date means, in italics after it: ` *(May 2023)*`. */
function figureDateNote(figureText: string, articleDate: string | null): Inline[] {
  const resolved = figureDate(figureText, articleDate);
  return resolved === null ? [] : [md(' *('), text(resolved), md(')*')];
}

function refLine(ref: ArticleRef): Line {
  const line: Inline[] = [md('• '), linked(ref.title, ref.url)];
  if (ref.date !== null) line.push(md(' — '), text(humanDate(ref.date)));
  return line;
}

function sourcesField(citations: readonly Citation[]): FieldSpec[] {
  return citations.length === 0 ? [] : [{ name: [md('Sources')], entries: citations.map((c) => [sourceLine(c)]), more: moreLine() }];
}

function answerEmbed(answer: Answer): APIEmbed {
  const title: Line = [text(answer.question)];
  if (!answer.answered) {
    const description: Line[][] = [[[md('The articles don’t answer this question.')]]];
    if (answer.reason !== null && answer.reason.trim().length > 0) description.push([[text(answer.reason)]]);
    const fields: FieldSpec[] =
      answer.closest.length === 0
        ? []
        : [{ name: [md('Closest articles')], entries: answer.closest.map((r) => [refLine(r)]), more: moreLine() }];
    return buildEmbed({ color: COLOR.unanswered, title, description, descriptionSeparator: '\n\n', fields });
  }

  const description: Line[][] = [];
  // Answered, but the figure asked for is not in the passages found: say so before them.
  if (answer.reason !== null && answer.reason.trim().length > 0) description.push([[text(answer.reason)]]);
  if (answer.answer !== null) {
    const citation = answer.figures.find((f) => f.text === answer.answer)?.citation ?? answer.passages[0]?.citation;
    description.push([[bold(answer.answer), ...(citation === undefined ? [] : [md(` [${citation}]`)])]]);
  }
  for (const p of answer.passages) {
    const dates = passageDates(p.passage.text, citedDate(answer.citations, p.citation));
    description.push([
      [
        md('> '),
        ...highlightSegments(p.passage.text, p.highlights),
        md(` [${p.citation}]`),
        ...(dates === null ? [] : [md(' *('), text(dates), md(')*')]),
      ],
    ]);
  }
  const mixed = differentDatesNote(answer.passages, answer.citations);
  // Our own words, but the dates come from the articles: a date that is not one is shown as
  // written, so it is escaped like any article text (the property test found '@everyone' here).
  // Only the [n] markers are ours to show as written.
  if (mixed !== null)
    description.push([[md('*'), ...mixed.split(/( ?\[\d+\] ?)/u).map((part, i) => (i % 2 === 1 ? md(part) : text(part))), md('*')]]);
  // What the question's date words ("latest", "in 2023") did to the passages.
  if (answer.dateNote !== undefined) description.push([[md('*'), text(answer.dateNote), md('*')]]);

  const seen = new Set<string>();
  const figures = answer.figures.filter((f) => {
    const key = `${f.text}\u0000${f.citation}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const fields: FieldSpec[] = [];
  if (figures.length > 0) {
    const shown = figures
      .slice(0, FIGURES_SHOWN)
      .map((f): Line[] => [
        [md('• '), bold(f.text), ...figureDateNote(f.text, citedDate(answer.citations, f.citation)), md(` [${f.citation}]`)],
      ]);
    const extra = figures.length - shown.length;
    fields.push({
      name: [md('Figures')],
      entries: extra > 0 ? [...shown, [[md(`…and ${extra} more: try /figures`)]]] : shown,
      more: moreLine(),
    });
  }
  fields.push(...sourcesField(answer.citations));
  return buildEmbed({
    color: COLOR.answer,
    title,
    description,
    descriptionSeparator: '\n\n',
    fields,
    footer: 'Quoted from the articles; [n] names the source.',
  });
}

/** A sentence with the figure in bold, where the sentence contains it, and what its relative date means. */
function figureLine(f: CitedFigure, articleDate: string | null): Line {
  const sentence = f.sentence;
  const at = sentence.indexOf(f.text);
  const note = figureDateNote(f.text, articleDate);
  if (at < 0 || f.text.length === 0) return [md('• '), bold(f.text), ...note, md(' — '), text(sentence), md(` [${f.citation}]`)];
  const before = cleanText(sentence.slice(0, at)).replace(/\s+/gu, ' ').trimStart();
  const after = cleanText(sentence.slice(at + f.text.length))
    .replace(/\s+/gu, ' ')
    .trimEnd();
  const line: Inline[] = [md('• ')];
  if (before.length > 0) line.push({ kind: 'text', raw: before });
  line.push(bold(f.text), ...note);
  if (after.length > 0) line.push({ kind: 'text', raw: after });
  line.push(md(` [${f.citation}]`));
  return line;
}

function timestamp(date: Date): string {
  const unix = Math.floor(date.getTime() / 1000);
  return Number.isFinite(unix) ? `<t:${unix}:R>` : 'unknown';
}

const count = (n: number, what: string): string => `**${n}** ${what}${n === 1 ? '' : 's'}`;

function statusEntries(status: IndexStatus): Line[][] {
  const lines: Line[][] = [
    [[md(`${count(status.articles, 'article')} · ${count(status.passages, 'passage')} · ${count(status.figures, 'figure')}`)]],
  ];
  if (status.problems > 0) lines.push([[md(`${status.problems} file${status.problems === 1 ? '' : 's'} skipped (see the logs)`)]]);
  lines.push([[md(`Index built ${timestamp(status.builtAt)}`)]]);
  lines.push([[md(`Last reindex: ${status.lastReindex === null ? 'none since start' : timestamp(status.lastReindex)}`)]]);
  lines.push([[md(`Up ${formatDuration(status.uptimeMs)}`)]]);
  return lines;
}

function idList(label: string, ids: readonly string[]): FieldSpec[] {
  return ids.length === 0
    ? []
    : [{ name: [md(`${label} (${ids.length})`)], entries: ids.map((id) => [[md('• '), code(id)]]), more: moreLine() }];
}

type ReplyOf<K extends Reply['kind']> = Extract<Reply, { readonly kind: K }>;

/** Ids of an article's word-for-word copies named under a search hit. */
const COPIES_SHOWN = 5;

/** ` — 2 copies word for word (also `tech/333`)`: one search hit standing for a story filed more than once. */
function copiesNote(copies: readonly string[]): Inline[] {
  if (copies.length === 0) return [];
  const ids = copies.slice(0, COPIES_SHOWN).flatMap((id, i): Inline[] => (i === 0 ? [code(id)] : [md(', '), code(id)]));
  const more = copies.length > COPIES_SHOWN ? [md(`, … (${copies.length - COPIES_SHOWN} more)`)] : [];
  return [md(` — ${(copies.length + 1).toLocaleString('en-US')} copies word for word (also `), ...ids, ...more, md(')')];
}

function searchEmbed(reply: ReplyOf<'search'>): APIEmbed {
  const title: Line = [md('Articles matching “'), text(reply.query), md('”')];
  if (reply.hits.length === 0)
    return buildEmbed({ color: COLOR.unanswered, title, description: [[[md('No articles match these words.')]]] });
  const entries = reply.hits.map((hit, i): Line[] => {
    const head: Inline[] = [md(`**${i + 1}.** `), linked(hit.title, hit.url)];
    if (hit.date !== null) head.push(md(' — '), text(humanDate(hit.date)));
    return [head, [text(hit.snippet)], [md('id: '), code(hit.articleId), ...copiesNote(hit.copies)]];
  });
  return buildEmbed({
    color: COLOR.answer,
    title,
    description: entries,
    descriptionSeparator: '\n\n',
    descriptionMore: moreLine(),
    footer: 'Read one with /article id:<id>',
  });
}

/** A timeline as a field: one line per point in date order, then a note per date the articles disagree on. */
function timelineField(timeline: Timeline): FieldSpec {
  const disputed = new Set(timeline.disagreements.flatMap((d) => d.points.map((p) => p.figure)));
  const points = timeline.points.map((p): Line[] => {
    const reported = reportedNote(p);
    return [
      [
        text(p.when),
        md(' — '),
        bold(p.figure.text),
        md(` [${p.figure.citation}]`),
        ...(reported === null ? [] : [md(' *('), text(reported), md(')*')]),
        md(disputed.has(p.figure) ? ' ⚠️' : ''),
      ],
    ];
  });
  const notes = disagreementNotes(timeline).map((note): Line[] => [[md('⚠️ *'), text(note), md('*')]]);
  return { name: [text(timelineHeading(timeline))], entries: [...points, ...notes], more: moreLine() };
}

function figuresEmbed({ result, chart }: ReplyOf<'figures'>): APIEmbed {
  const title: Line = [md('Figures about “'), text(result.topic), md('”')];
  if (result.figures.length === 0) {
    const description: Line[][] = [[[md('No figures found.')]]];
    if (result.reason !== null) description.push([[text(result.reason)]]);
    return buildEmbed({ color: COLOR.unanswered, title, description });
  }
  const embed = buildEmbed({
    color: COLOR.answer,
    title,
    description: result.figures.map((f) => [figureLine(f, citedDate(result.citations, f.citation))]),
    descriptionMore: moreLine(),
    fields: [...(result.timeline === null ? [] : [timelineField(result.timeline)]), ...sourcesField(result.citations)],
  });
  return chart === undefined ? embed : { ...embed, image: { url: `attachment://${chart.name}` } };
}

/** The files a reply attaches: a figures reply's chart, when it has one within Discord's upload limit. */
function filesOf(reply: Reply): { attachment: Buffer; name: string }[] {
  if (reply.kind !== 'figures' || reply.chart === undefined || reply.chart.png.length > LIMITS.attachmentBytes) return [];
  return [{ attachment: Buffer.from(reply.chart.png), name: reply.chart.name }];
}

function articleEmbed({ page }: ReplyOf<'article'>): APIEmbed {
  const a = page.article;
  const meta = [a.date, a.author, a.source].filter((x): x is string => x !== null && x.trim().length > 0);
  const description: Line[][] = [];
  if (meta.length > 0) description.push([meta.flatMap((m, i) => (i === 0 ? [text(m)] : [md(' · '), text(m)]))]);
  for (const p of page.paragraphs) description.push([[md(`**¶${p.n}** `), text(p.text)]]);
  if (description.length === 0) description.push([[md('This page is empty.')]]);
  return buildEmbed({
    color: COLOR.info,
    title: [text(a.title)],
    url: a.url,
    description,
    descriptionSeparator: '\n\n',
    footer: `Page ${page.page} of ${page.pages} · id: ${a.id}`,
  });
}

function reindexEmbed({ summary: s }: ReplyOf<'reindex'>): APIEmbed {
  const description: Line[][] = [
    [[md(`${count(s.articles, 'article')} · ${count(s.passages, 'passage')} · ${count(s.figures, 'figure')} now in the index.`)]],
    [[md(`Added ${s.added.length} · changed ${s.changed.length} · removed ${s.removed.length}.`)]],
    [[md(`Took ${formatDuration(s.ms)}.`)]],
  ];
  const byFile = new Map<string, string[]>();
  for (const p of s.problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p.reason]);
  const problems: FieldSpec[] =
    byFile.size === 0
      ? []
      : [
          {
            name: [md(`Problems (${s.problems.length})`)],
            entries: [...byFile].map(([file, reasons]): Line[] => [[md('• '), code(file), md(': '), text(reasons.join('; '))]]),
            more: moreLine(' files'),
          },
        ];
  return buildEmbed({
    color: s.problems.length > 0 ? COLOR.error : COLOR.ok,
    title: [md('Reindex finished')],
    description,
    fields: [...idList('Added', s.added), ...idList('Changed', s.changed), ...idList('Removed', s.removed), ...problems],
  });
}

/** `1 new article`, `2,225 articles`. */
const plural = (n: number, noun: string): string => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/** One feed: its name as a link, when it was polled and what that brought, and its last error. */
function feedEntry(feed: ReplyOf<'feeds'>['feeds'][number]): Line[] {
  const lines: Line[] = [[md('• '), linked(feed.title ?? feed.url, feed.url), ...(feed.title === null ? [] : [md(' — '), text(feed.url)])]];
  const polled =
    feed.lastPollAt === null
      ? 'Not polled yet'
      : `Last poll ${timestamp(new Date(feed.lastPollAt))}: ${plural(feed.newArticles, 'new article')} · ${plural(feed.totalArticles, 'article')} in all`;
  lines.push([md(`   ${polled}`)]);
  if (feed.lastError !== null) lines.push([md('   Last error: '), text(feed.lastError)]);
  return lines;
}

function feedsEmbed({ feeds }: ReplyOf<'feeds'>): APIEmbed {
  if (feeds.length === 0) {
    return buildEmbed({
      color: COLOR.info,
      title: [md('News feeds')],
      description: [[[md('No feeds are followed. Add one with '), code('/feeds add url:<feed address>', true), md('.')]]],
    });
  }
  return buildEmbed({
    color: feeds.some((f) => f.lastError !== null) ? COLOR.error : COLOR.info,
    title: [md(`News feeds (${feeds.length.toLocaleString('en-US')})`)],
    description: feeds.map(feedEntry),
    descriptionSeparator: '\n\n',
    descriptionMore: moreLine(),
  });
}

function helpEmbed(reply: ReplyOf<'help'>): APIEmbed {
  return buildEmbed({
    color: COLOR.info,
    title: [md('Factdesk')],
    description: [[[md('Answers questions from the news archive by quoting the articles, with a citation for every passage and figure.')]]],
    fields: [
      {
        name: [md('Commands')],
        entries: reply.commands.map((c): Line[] => [[code(c.usage, true)], [text(c.description)]]),
        more: moreLine(),
      },
      {
        name: [md('When it answers')],
        entries: reply.triggers.map((t): Line[] => [[md('• '), { kind: 'text', raw: oneLine(t), channels: true }]]),
        more: moreLine(),
      },
      { name: [md('Index')], entries: statusEntries(reply.status) },
    ],
  });
}

/** The embed for a reply (a notice is plain content, not an embed): one function per kind. */
function embedFor(reply: Exclude<Reply, { readonly kind: 'notice' }>): APIEmbed {
  switch (reply.kind) {
    case 'answer':
      return answerEmbed(reply.answer);
    case 'search':
      return searchEmbed(reply);
    case 'figures':
      return figuresEmbed(reply);
    case 'article':
      return articleEmbed(reply);
    case 'reindex':
      return reindexEmbed(reply);
    case 'feeds':
      return feedsEmbed(reply);
    case 'help':
      return helpEmbed(reply);
  }
}

/** Button components: secondary style, unique custom ids of at most 100 characters, 5 per row, 5 rows. */
export function buttonRows(buttons: readonly ReplyButton[] = []): ButtonRow[] {
  const seen = new Set<string>();
  const usable: APIButtonComponentWithCustomId[] = [];
  for (const button of buttons) {
    if (button.customId.length === 0 || button.customId.length > LIMITS.customId || seen.has(button.customId)) continue;
    seen.add(button.customId);
    usable.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: fitPlain(button.label, LIMITS.buttonLabel) || '…',
      custom_id: button.customId,
      disabled: button.disabled === true,
    });
  }
  const rows: ButtonRow[] = [];
  for (let i = 0; i < usable.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: usable.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** Multi-line untrusted text as message content, each line escaped, within 2,000 characters. */
function contentOf(prefix: string, body: string): string {
  const lines = body.split('\n').map((line): Line[] => [[text(line)]]);
  const first = lines[0]?.[0];
  if (first) lines[0] = [[md(prefix), ...first]];
  // Discord refuses an empty message.
  return fitEntries(lines, LIMITS.content) || prefix.trim() || ELLIPSIS;
}

const ephemeralFlag = (ephemeral: boolean): { flags?: MessageFlags.Ephemeral } => (ephemeral ? { flags: MessageFlags.Ephemeral } : {});

/**
 * Renders any reply as a Discord payload: one embed (a notice is plain content), its buttons, no
 * mentions, and the Ephemeral flag when only the asker should see it.
 *
 * @example renderReply({ kind: 'notice', tone: 'info', text: 'Done.', ephemeral: true }).flags // MessageFlags.Ephemeral
 */
export function renderReply(reply: Reply): DiscordPayload {
  const base = { components: buttonRows(reply.buttons), allowedMentions: { parse: [] as [] }, ...ephemeralFlag(reply.ephemeral) };
  if (reply.kind === 'notice') return { ...base, content: contentOf(reply.tone === 'error' ? '⚠️ ' : '', reply.text), embeds: [] };
  const files = filesOf(reply);
  const embed = embedFor(reply);
  // An embed may show only a file that is attached.
  if (files.length === 0 && embed.image !== undefined) delete embed.image;
  return { ...base, embeds: [embed], ...(files.length > 0 ? { files } : {}) };
}

/** An ephemeral error message, its text escaped (it may quote what the user typed). */
export function renderError(message: string): DiscordPayload {
  return { content: contentOf('⚠️ ', message), embeds: [], components: [], allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral };
}

/**
 * A reindex under way, for the deferred reply it is edited into until the outcome replaces it: the
 * same progress line the console shows, as an embed (the outcome's embed then replaces it whole).
 *
 * @example renderProgress({ phase: 'reading', read: 3, files: 10 }, 1200).embeds[0]?.description // 'Reading articles: 3 of 10 files · 1.2 s\n…'
 */
export function renderProgress(progress: IndexProgress, elapsedMs: number): DiscordPayload {
  const embed = buildEmbed({
    color: COLOR.info,
    title: [md('Reindexing…')],
    description: [[[text(progressText(progress, elapsedMs))]], [[md('Questions are still answered from the current index meanwhile.')]]],
  });
  return { embeds: [embed], components: [], allowedMentions: { parse: [] } };
}

/** Autocomplete choices: at most 25, names of 1–100 plain characters, values of at most 100. */
export function renderChoices(choices: readonly Choice[]): APIApplicationCommandOptionChoice<string>[] {
  const out: APIApplicationCommandOptionChoice<string>[] = [];
  for (const choice of choices) {
    if (out.length >= LIMITS.choices) break;
    const name = fitPlain(choice.name, LIMITS.choiceName);
    if (name.length === 0 || choice.value.length === 0 || choice.value.length > LIMITS.choiceValue) continue;
    out.push({ name, value: choice.value });
  }
  return out;
}
