/**
 * Questions asked in channels: a message that mentions the bot, a DM, a question-like message in
 * an ask channel (or a thread of one), or a new post in an ask forum. The decision is a pure
 * function of the message's facts ({@link decideMessage}); the listener only gathers those facts,
 * applies the cooldown and sends the same answer embed as /ask.
 */
import { ChannelType, DiscordAPIError, RESTJSONErrorCodes, type Message } from 'discord.js';
import { answerReply } from '../answering.ts';
import type { Services } from '../command.ts';
import type { Config } from '../config.ts';
import { MAX_QUESTION_LENGTH } from '../core/question-analysis.ts';
import { describeError, reportFailure, UserError } from '../errors.ts';
import { normaliseQuestion } from '../question-text.ts';
import { oneLine } from '../render/clean-text.ts';
import { renderReply, type DiscordPayload } from '../render/discord/replies.ts';
import type { Reply } from '../replies.ts';
import { withoutFlags } from './interactions.ts';

/** What the trigger rules look at, gathered from a discord.js message. */
export interface MessageFacts {
  readonly authorId: string;
  readonly authorIsBot: boolean;
  readonly webhookId: string | null;
  /** A system message (join, pin, thread created…), not something a person wrote. */
  readonly system: boolean;
  /** Empty for other people's messages when the Message Content intent is missing (unless they mention the bot). */
  readonly content: string;
  readonly channelId: string;
  /** The parent channel when the message is in a thread (a forum post is a thread of its forum). */
  readonly parentId: string | null;
  readonly inDm: boolean;
  /** The post's title when this is the starter message of a new forum or media post. */
  readonly forumPostTitle: string | null;
}

export type MessageTrigger = 'mention' | 'dm' | 'ask-channel' | 'forum-post';

export type MessageDecision =
  | { readonly action: 'ignore' }
  | { readonly action: 'hint' }
  | { readonly action: 'too-long'; readonly length: number }
  | { readonly action: 'ask'; readonly question: string; readonly trigger: MessageTrigger };

/** The words that make a message in an ask channel a question even without a question mark. */
export const QUESTION_WORDS = [
  'who', 'what', 'when', 'where', 'why', 'which', 'how', 'is', 'are', 'was', 'were', 'do', 'does', 'did',
  'can', 'could', 'will', 'would', 'should', 'has', 'have', 'had',
] as const; // prettier-ignore

const STARTS_WITH_QUESTION_WORD = new RegExp(`^(?:${QUESTION_WORDS.join('|')})\\b`, 'iu');
// A question mark, possibly followed by closing quotes or brackets.
const ENDS_WITH_QUESTION_MARK = /[?？][\s"'”’»)\]]*$/u;

/**
 * Whether text reads as a question: it ends with "?" or starts with a question word.
 *
 * @example looksLikeQuestion('what happened in Aleppo') // true
 * @example looksLikeQuestion('whatever, thanks') // false
 */
export function looksLikeQuestion(text: string): boolean {
  const t = oneLine(text);
  return t.length > 0 && (ENDS_WITH_QUESTION_MARK.test(t) || STARTS_WITH_QUESTION_WORD.test(t));
}

// The mention, and the comma or colon people type after it ("@Factdesk, who won?").
function mentionPattern(botId: string): RegExp {
  return new RegExp(`<@!?${botId.replace(/\D/gu, '')}>[,:;]?`, 'gu');
}

/** Cleans and checks the question with the same rules as /ask: empty → hint, over-long → refuse. */
function classify(text: string, trigger: MessageTrigger): MessageDecision {
  try {
    return { action: 'ask', question: normaliseQuestion(text), trigger };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return error.code === 'empty-question' ? { action: 'hint' } : { action: 'too-long', length: oneLine(text).length };
  }
}

/**
 * Decides whether Factdesk answers a message, and what it is asked. Never: bots (itself
 * included), webhooks, system messages. Always (when `answerOnMention`): a user mention of the
 * bot, with the mention removed, and a DM. In an ask channel, or a thread whose parent is one,
 * also a message that looks like a question; a new post in an ask forum is always a question
 * (its title, plus its text when both fit).
 */
export function decideMessage(
  facts: MessageFacts,
  config: Pick<Config, 'askChannelIds' | 'answerOnMention'>,
  botId: string,
): MessageDecision {
  if (facts.authorId === botId || facts.authorIsBot || facts.webhookId !== null || facts.system) return { action: 'ignore' };
  const mention = mentionPattern(botId);
  const mentioned = facts.content.match(mention) !== null;
  const text = facts.content.replace(mention, ' ');
  const inAskChannel =
    config.askChannelIds.includes(facts.channelId) || (facts.parentId !== null && config.askChannelIds.includes(facts.parentId));

  if (facts.forumPostTitle !== null && inAskChannel) {
    const title = oneLine(facts.forumPostTitle);
    const body = oneLine(text);
    const both = body.length === 0 ? title : `${title} ${body}`;
    return classify(both.length <= MAX_QUESTION_LENGTH || title.length === 0 ? both : title, 'forum-post');
  }
  if (config.answerOnMention && mentioned) return classify(text, 'mention');
  if (config.answerOnMention && facts.inDm) return classify(text, 'dm');
  if (inAskChannel && looksLikeQuestion(text)) return classify(text, 'ask-channel');
  return { action: 'ignore' };
}

/** The facts {@link decideMessage} needs, read from a discord.js message. */
export function messageFacts(message: Message): MessageFacts {
  const channel = message.channel;
  const thread = channel.isThread() ? channel : null;
  const parentType = thread?.parent?.type;
  // A forum post's starter message is created in the new thread, with the thread's own id.
  const isForumStarter =
    thread !== null && message.id === thread.id && (parentType === ChannelType.GuildForum || parentType === ChannelType.GuildMedia);
  return {
    authorId: message.author.id,
    authorIsBot: message.author.bot,
    webhookId: message.webhookId,
    system: message.system,
    content: message.content,
    channelId: message.channelId,
    parentId: thread?.parentId ?? null,
    inDm: channel.isDMBased(),
    forumPostTitle: isForumStarter ? thread.name : null,
  };
}

/** Discord refuses a reply whose message is gone with 50035 and a `message_reference` error. */
function isMissingReference(error: DiscordAPIError): boolean {
  return error.code === RESTJSONErrorCodes.InvalidFormBodyOrContentType && JSON.stringify(error.rawError).includes('message_reference');
}

/** A channel-message reply: never ephemeral, and it pings nobody, not even the asker. */
export function messageReplyPayload(payload: DiscordPayload): Omit<DiscordPayload, 'flags' | 'allowedMentions'> & {
  allowedMentions: { parse: []; repliedUser: false };
} {
  return { ...withoutFlags(payload), allowedMentions: { parse: [], repliedUser: false } };
}

const notice = (text: string): Reply => ({ kind: 'notice', tone: 'info', text, ephemeral: false });
const HINT = 'Ask me a question after the mention, like “@Factdesk how many people were displaced?”. Or use /ask.';
const COOLDOWN_REACTION = '⏳';
/** Gateway resumes can replay a message; remember the last few answered so none is answered twice. */
const REMEMBERED = 500;

/**
 * Creates the `messageCreate` listener. It never rejects: failures are logged with the message's
 * context, and the asker gets a short apology with an error id where that can still be sent.
 */
export function createMessageHandler(services: Services): (message: Message) => Promise<void> {
  const handled = new Set<string>();
  const remember = (id: string): boolean => {
    if (handled.has(id)) return false;
    handled.add(id);
    if (handled.size > REMEMBERED) handled.delete(handled.values().next().value ?? id);
    return true;
  };
  const send = async (message: Message, reply: Reply): Promise<void> => {
    await message.reply(messageReplyPayload(renderReply(reply)));
  };

  return async (message) => {
    const fields = { messageId: message.id, userId: message.author.id, guildId: message.guildId, channelId: message.channelId };
    try {
      const decision = decideMessage(messageFacts(message), services.config, message.client.user.id);
      if (decision.action === 'ignore' || !remember(message.id)) return;
      if (decision.action === 'hint') {
        await send(message, notice(HINT));
        return;
      }
      if (decision.action === 'too-long') {
        await send(
          message,
          notice(`That’s ${decision.length} characters; a question can be at most ${MAX_QUESTION_LENGTH}. Shorten it and ask again.`),
        );
        return;
      }
      if (services.cooldown.take(message.author.id) > 0) {
        await message.react(COOLDOWN_REACTION);
        return;
      }
      const channel = message.channel;
      const typing =
        'sendTyping' in channel
          ? channel.sendTyping().catch((error: unknown) => {
              services.logger.debug({ ...fields, error: describeError(error) }, 'could not show typing');
            })
          : Promise.resolve();
      const started = performance.now();
      const reply = answerReply(decision.question, services, false);
      services.observer?.observeReply(reply, (performance.now() - started) / 1000);
      await typing;
      await send(message, reply);
      services.logger.info(
        { ...fields, trigger: decision.trigger, answered: reply.kind === 'answer' && reply.answer.answered },
        'answered a message',
      );
    } catch (error) {
      if (
        error instanceof DiscordAPIError &&
        (error.code === RESTJSONErrorCodes.MissingPermissions || error.code === RESTJSONErrorCodes.MissingAccess)
      ) {
        services.logger.warn(
          { ...fields, code: error.code, error: describeError(error) },
          'cannot answer in this channel: missing permissions',
        );
        return;
      }
      // The question was deleted before the answer went out: a reply (or an apology) has nothing to attach to.
      if (error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.UnknownMessage || isMissingReference(error))) {
        services.logger.info({ ...fields, code: error.code }, 'the question was deleted before it could be answered');
        return;
      }
      const apology = reportFailure(error, { logger: services.logger, what: 'answering a message failed', fields });
      try {
        await send(message, notice(apology));
      } catch (sendFailure) {
        services.logger.warn({ ...fields, apology, error: describeError(sendFailure) }, 'could not send the apology');
      }
    }
  };
}
