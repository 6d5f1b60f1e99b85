import { ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { defineCommand, usageFor, type CommandContext } from '../src/command.ts';
import type { HelpEntry } from '../src/replies.ts';

/** How the local console is used: no right-click menus, mentions, channels or cooldown there. */
const CONSOLE_RULES = [
  'Type a question and press Enter: it is answered as /ask.',
  'Type a command such as /search Turkey; /1, /2… press the buttons listed under the last reply.',
  'Tab completes commands, option names and article titles; Up recalls earlier lines.',
];

function triggers(context: CommandContext): string[] {
  if (context.invoker.local) return CONSOLE_RULES;
  const { config } = context;
  const rules = ['Slash commands, anywhere the bot is installed.', 'Right-click a message → Apps → "Ask Factdesk" to ask about its text.'];
  if (config.answerOnMention) rules.push('Mention the bot with a question, in any channel it can read.');
  if (config.askChannelIds.length > 0) {
    rules.push(
      `In ${config.askChannelIds.map((id) => `<#${id}>`).join(', ')}: any message that ends with "?" or starts with a question word.`,
    );
  }
  if (config.cooldownSeconds > 0) rules.push(`One question per ${config.cooldownSeconds} s per person.`);
  return rules;
}

const data = {
  type: ApplicationCommandType.ChatInput,
  name: 'help',
  description: 'How to use Factdesk, and what its index holds',
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const help = defineCommand({
  data,
  usage: '/help',
  execute(_args, context) {
    const commands: HelpEntry[] = [...context.commands.values()].flatMap((c) =>
      c.usage === undefined
        ? []
        : [
            {
              name: c.data.name,
              description: 'description' in c.data ? c.data.description : '',
              usage: usageFor(c.usage, context.invoker.local),
            },
          ],
    );
    const { stats } = context.library.archive;
    return {
      kind: 'help',
      commands,
      triggers: triggers(context),
      status: {
        articles: stats.articles,
        passages: stats.passages,
        figures: stats.figures,
        builtAt: stats.builtAt,
        lastReindex: context.library.lastReindex?.finishedAt ?? null,
        uptimeMs: context.now().getTime() - context.startedAt.getTime(),
        problems: context.library.problems.length,
      },
      ephemeral: true,
    };
  },
});
