import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { figuresAbout } from '../src/core/browse.ts';
import { MAX_QUESTION_LENGTH } from '../src/core/question-analysis.ts';
import { defineCommand, type CommandContext } from '../src/command.ts';
import { normaliseQuestion } from '../src/question-text.ts';
import { DATE_OPTIONS, dateRangeFrom } from '../src/date-options.ts';
import type { Timeline } from '../src/core/timeline.ts';
import { describeError } from '../src/errors.ts';
import { slug } from '../src/feeds/feed-article.ts';
import { drawInThisThread } from '../src/render/chart-renderer.ts';
import { MIN_CHART_POINTS } from '../src/render/timeline-text.ts';
import type { ChartImage } from '../src/replies.ts';

/**
 * The timeline's chart, or null when it has too few points or cannot be drawn (the text timeline is
 * still shown). The command is acknowledged first: drawing takes up to a second or two.
 */
async function chartOf(timeline: Timeline, topic: string, context: CommandContext): Promise<ChartImage | null> {
  if (timeline.points.length < MIN_CHART_POINTS) return null;
  await context.acknowledge?.();
  try {
    const png = await (context.charts?.draw ?? drawInThisThread)(timeline);
    return png === null ? null : { name: `timeline-${slug(topic, 50)}.png`, png };
  } catch (error) {
    context.logger.warn({ error: describeError(error) }, 'could not draw the timeline chart');
    return null;
  }
}

const data = {
  type: ApplicationCommandType.ChatInput,
  name: 'figures',
  description: 'The figures the articles cite about a topic, each with its sentence and source',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'topic',
      description: 'What the figures are about',
      required: true,
      max_length: MAX_QUESTION_LENGTH,
    },
    ...DATE_OPTIONS,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const figures = defineCommand({
  data,
  usage: '/figures topic:<text> [after:<date>] [before:<date>]',
  async execute(args, context) {
    const topic = normaliseQuestion(args.topic, 'topic');
    const range = dateRangeFrom(args, context.now());
    const result = figuresAbout(context.library.archive, topic, undefined, range);
    const chart = result.timeline === null ? null : await chartOf(result.timeline, topic, context);
    return { kind: 'figures', result, ...(chart === null ? {} : { chart }), ephemeral: false };
  },
});
