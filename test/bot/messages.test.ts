import { describe, expect, it } from 'vitest';
import { decideMessage, looksLikeQuestion, messageReplyPayload, type MessageFacts } from '../../src/bot/messages.ts';
import { renderReply } from '../../src/render/discord/replies.ts';

const BOT = '100000000000000001';
const USER = '200000000000000002';
const ASK = '300000000000000003';
const GENERAL = '400000000000000004';
const FORUM = '500000000000000005';

const config = { askChannelIds: [ASK, FORUM], answerOnMention: true };

const facts = (over: Partial<MessageFacts> = {}): MessageFacts => ({
  authorId: USER,
  authorIsBot: false,
  webhookId: null,
  system: false,
  content: '',
  channelId: GENERAL,
  parentId: null,
  inDm: false,
  forumPostTitle: null,
  ...over,
});

describe('decideMessage', () => {
  it('answers a mention of the bot, without the mention', () => {
    expect(decideMessage(facts({ content: `<@${BOT}> how many people died?` }), config, BOT)).toEqual({
      action: 'ask',
      question: 'how many people died?',
      trigger: 'mention',
    });
  });

  it('understands the old nickname mention form, anywhere in the message, with a comma after it', () => {
    expect(decideMessage(facts({ content: `so <@!${BOT}>, who won` }), config, BOT)).toEqual({
      action: 'ask',
      question: 'so who won',
      trigger: 'mention',
    });
  });

  it('ignores mentions of other users and of everyone', () => {
    expect(decideMessage(facts({ content: `<@${USER}> @everyone who won?` }), config, BOT)).toEqual({ action: 'ignore' });
  });

  it('ignores mentions when answering on mention is turned off', () => {
    expect(decideMessage(facts({ content: `<@${BOT}> who won?` }), { ...config, answerOnMention: false }, BOT)).toEqual({
      action: 'ignore',
    });
  });

  it('gives a hint for a mention with no question', () => {
    expect(decideMessage(facts({ content: `<@${BOT}>  \u200b ` }), config, BOT)).toEqual({ action: 'hint' });
  });

  it('refuses a question over 500 characters, saying how long it is', () => {
    expect(decideMessage(facts({ content: `<@${BOT}> ${'why '.repeat(150)}` }), config, BOT)).toEqual({ action: 'too-long', length: 599 });
  });

  it('never answers itself, other bots, webhooks or system messages', () => {
    const question = `<@${BOT}> who won?`;
    expect(
      [
        facts({ content: question, authorId: BOT }),
        facts({ content: question, authorIsBot: true }),
        facts({ content: question, webhookId: '600000000000000006' }),
        facts({ content: question, system: true }),
      ].map((f) => decideMessage(f, config, BOT)),
    ).toEqual([{ action: 'ignore' }, { action: 'ignore' }, { action: 'ignore' }, { action: 'ignore' }]);
  });

  it('answers a question in an ask channel without a mention', () => {
    expect(decideMessage(facts({ channelId: ASK, content: 'Floods in the north?' }), config, BOT)).toEqual({
      action: 'ask',
      question: 'Floods in the north?',
      trigger: 'ask-channel',
    });
    expect(decideMessage(facts({ channelId: ASK, content: 'what happened in Aleppo' }), config, BOT)).toEqual({
      action: 'ask',
      question: 'what happened in Aleppo',
      trigger: 'ask-channel',
    });
  });

  it('ignores chat in an ask channel that is not a question', () => {
    expect(decideMessage(facts({ channelId: ASK, content: 'thanks, that helps' }), config, BOT)).toEqual({ action: 'ignore' });
  });

  it('ignores questions outside ask channels unless the bot is mentioned', () => {
    expect(decideMessage(facts({ content: 'who won?' }), config, BOT)).toEqual({ action: 'ignore' });
  });

  it('cannot see questions in ask channels without the Message Content intent (content is empty)', () => {
    expect(decideMessage(facts({ channelId: ASK, content: '' }), config, BOT)).toEqual({ action: 'ignore' });
  });

  it('treats a thread of an ask channel as an ask channel', () => {
    expect(decideMessage(facts({ channelId: '700000000000000007', parentId: ASK, content: 'who won?' }), config, BOT)).toEqual({
      action: 'ask',
      question: 'who won?',
      trigger: 'ask-channel',
    });
  });

  it('answers a new post in an ask forum with its title and text', () => {
    const post = facts({
      channelId: '800000000000000008',
      parentId: FORUM,
      forumPostTitle: 'Flood damage',
      content: 'What did the repairs cost',
    });
    expect(decideMessage(post, config, BOT)).toEqual({
      action: 'ask',
      question: 'Flood damage What did the repairs cost',
      trigger: 'forum-post',
    });
  });

  it('asks a forum post by its title alone when its text is empty or too long', () => {
    const post = facts({ channelId: '800000000000000008', parentId: FORUM, forumPostTitle: 'Flood damage' });
    expect(decideMessage(post, config, BOT)).toEqual({ action: 'ask', question: 'Flood damage', trigger: 'forum-post' });
    expect(decideMessage({ ...post, content: 'x '.repeat(400) }, config, BOT)).toEqual({
      action: 'ask',
      question: 'Flood damage',
      trigger: 'forum-post',
    });
  });

  it('treats a post in a forum that is not an ask channel like any message', () => {
    const post = facts({
      channelId: '800000000000000008',
      parentId: '900000000000000009',
      forumPostTitle: 'Who won?',
      content: 'who won?',
    });
    expect(decideMessage(post, config, BOT)).toEqual({ action: 'ignore' });
  });

  it('answers direct messages without a mention', () => {
    expect(decideMessage(facts({ inDm: true, content: 'who won?' }), config, BOT)).toEqual({
      action: 'ask',
      question: 'who won?',
      trigger: 'dm',
    });
    expect(decideMessage(facts({ inDm: true, content: ' ' }), config, BOT)).toEqual({ action: 'hint' });
  });
});

describe('looksLikeQuestion', () => {
  it('accepts a question mark at the end, even before closing quotes', () => {
    expect(['Really?', 'He said “why?”', 'Is it (really?)'].map(looksLikeQuestion)).toEqual([true, true, true]);
  });

  it('accepts the question words at the start, in any case', () => {
    expect(['How many died', "What's the toll", 'DID it rain', 'should we go'].map(looksLikeQuestion)).toEqual([true, true, true, true]);
  });

  it('rejects words that only begin with a question word, and statements', () => {
    expect(['Whatever works', 'Island news', 'Howdy all', 'The end.', ''].map(looksLikeQuestion)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('messageReplyPayload', () => {
  it('never pings, not even the asker, and is never ephemeral', () => {
    const payload = messageReplyPayload(renderReply({ kind: 'notice', tone: 'info', text: 'Hi', ephemeral: true }));
    expect(payload).toEqual({ content: 'Hi', embeds: [], components: [], allowedMentions: { parse: [], repliedUser: false } });
    expect('flags' in payload).toBe(false);
  });
});
