/**
 * Tests of the Discord fake itself, driven by a bare discord.js Client (not the bot), and unit
 * tests of the OpenAPI request validator.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  ChannelType,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ClientEvents,
  type ClientOptions,
  type Interaction,
  type Message,
} from 'discord.js';
import { DiscordErrors, FakeDiscord, routes, type FakeDiscordOptions, type RecordedRequest } from './index.ts';
import { assertValidRequests, SpecValidator, validateRecordedRequest, validateRequest } from '../spec.ts';

const TOKEN = 'fake-bot-token';
const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

function nextEvent<E extends keyof ClientEvents>(
  client: Client,
  event: E,
  filter: (...args: ClientEvents[E]) => boolean = () => true,
  timeoutMs = 2_000,
): Promise<ClientEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`timed out waiting for client event ${event}`));
    }, timeoutMs);
    const listener = (...args: ClientEvents[E]): void => {
      if (!filter(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    client.on(event, listener);
  });
}

async function nextInteraction(client: Client): Promise<Interaction> {
  const [interaction] = await nextEvent(client, Events.InteractionCreate);
  return interaction;
}

/** Resolves with the next message not written by a bot (the fake echoes the bot's own messages). */
async function nextUserMessage(client: Client): Promise<Message> {
  const [message] = await nextEvent(client, Events.MessageCreate, (m) => !m.author.bot);
  return message;
}

interface Harness {
  readonly fake: FakeDiscord;
  readonly client: Client<true>;
  readonly readyMs: number;
}

const cleanups: (() => Promise<void>)[] = [];

async function connect(fakeOptions: FakeDiscordOptions = {}, clientOptions: Partial<ClientOptions> = {}): Promise<Harness> {
  const fake = new FakeDiscord(fakeOptions);
  const { restUrl } = await fake.start();
  const client = new Client({
    intents: INTENTS,
    partials: [Partials.Channel],
    rest: { api: restUrl },
    ...clientOptions,
  });
  cleanups.push(async () => {
    await client.destroy();
    await fake.close();
  });
  const started = performance.now();
  const ready = nextEvent(client, Events.ClientReady, () => true, 5_000);
  await client.login(TOKEN);
  const [readyClient] = await ready;
  return { fake, client: readyClient, readyMs: performance.now() - started };
}

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function expectValid(req: RecordedRequest): void {
  expect(validateRecordedRequest(req).errors).toEqual([]);
}

describe('FakeDiscord with a bare discord.js client', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await connect();
  });

  // Everything discord.js sent in these scenarios must match Discord's OpenAPI spec.
  afterEach(() => {
    assertValidRequests(h.fake.requests);
  });

  it('connects over 127.0.0.1 and becomes ready quickly with the guild cached', () => {
    const { fake, client, readyMs } = h;
    expect(readyMs).toBeLessThan(2_000);
    expect(fake.endpoints.restUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    expect(fake.endpoints.gatewayUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(client.user.id).toBe(fake.users.bot.id);
    expect(client.application.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.ids.guild);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.ids.channels.general)?.type).toBe(ChannelType.GuildText);
    expect(guild?.channels.cache.get(fake.ids.channels.forum)?.type).toBe(ChannelType.GuildForum);
    expect(guild?.channels.cache.get(fake.ids.channels.thread)?.isThread()).toBe(true);
    expect(guild?.members.me?.roles.cache.has(fake.ids.roles.bot)).toBe(true);
    expect(fake.identifyCount).toBe(1);
    expect((fake.intents ?? 0) & GatewayIntentBits.MessageContent).not.toBe(0);
    const identify = fake.gatewayOps.find((op) => op.op === 2);
    expect(identify?.d).toMatchObject({ token: TOKEN, shard: [0, 1] });
  });

  it('delivers a slash command; interaction.reply is a type 4 callback that matches the spec', async () => {
    const { fake, client } = h;
    const pending = nextInteraction(client);
    const sent = fake.slashCommand({ name: 'ask', options: { question: 'Who won?', limit: 3, verbose: true } });
    const interaction = await pending;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    expect(interaction.id).toBe(sent.id);
    expect(interaction.commandName).toBe('ask');
    expect(interaction.options.getString('question')).toBe('Who won?');
    expect(interaction.options.getInteger('limit')).toBe(3);
    expect(interaction.options.getBoolean('verbose')).toBe(true);
    expect(interaction.inGuild()).toBe(true);
    expect(interaction.channelId).toBe(fake.ids.channels.general);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.Administrator)).toBe(false);

    await interaction.reply({ content: 'hi', allowedMentions: { parse: [] } });
    const req = await fake.waitForRequest(routes.callback(sent));
    expect(req.query).toEqual({ with_response: 'false' });
    expect(req.body).toMatchObject({ type: 4, data: { content: 'hi', allowed_mentions: { parse: [] } } });
    expect(req.response.status).toBe(204);
    expectValid(req);
    expect(validateRecordedRequest(req).operationId).toBe('create_interaction_response');
  });

  it('lets a test act as an admin with custom permissions', async () => {
    const { fake, client } = h;
    const pending = nextInteraction(client);
    fake.slashCommand({ name: 'reindex', as: 'admin' });
    const admin = await pending;
    expect(admin.memberPermissions?.has(PermissionFlagsBits.Administrator)).toBe(true);
    expect(admin.inCachedGuild() && admin.member.roles.cache.has(fake.ids.roles.admin)).toBe(true);

    const pending2 = nextInteraction(client);
    fake.slashCommand({ name: 'reindex', roles: [], permissions: PermissionFlagsBits.ViewChannel });
    const plain = await pending2;
    expect(plain.memberPermissions?.toArray()).toEqual(['ViewChannel']);
  });

  it('supports deferReply + editReply + followUp', async () => {
    const { fake, client } = h;
    const pending = nextInteraction(client);
    const sent = fake.slashCommand({ name: 'ask', options: { question: 'slow one' } });
    const interaction = await pending;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');

    await interaction.deferReply();
    const edited = await interaction.editReply({ content: 'Here is the answer', embeds: [{ description: 'cited passage' }] });
    expect(edited.content).toBe('Here is the answer');
    const followUp = await interaction.followUp({ content: 'More', flags: MessageFlags.Ephemeral });
    expect(followUp.id).toMatch(/^\d+$/);

    const defer = await fake.waitForRequest(routes.callback(sent));
    expect(defer.body).toMatchObject({ type: 5 });
    const edit = await fake.waitForRequest(routes.editOriginal(sent));
    expect(edit.path).toBe(`/webhooks/${fake.applicationId}/${sent.token}/messages/@original`);
    expect(edit.rawPath).toContain('%40original');
    expect(edit.body).toMatchObject({ content: 'Here is the answer', embeds: [{ description: 'cited passage' }] });
    const follow = await fake.waitForRequest(routes.followUp(sent));
    expect(follow.body).toMatchObject({ content: 'More', flags: 64 });
    assertValidRequests(fake.requestsMatching(routes.anyFor(sent)));
    expect(fake.interactionState(sent.id)?.acknowledged).toBe(5);
  });

  it('delivers a user message; message.reply is a POST with message_reference', async () => {
    const { fake, client } = h;
    const pending = nextUserMessage(client);
    const sent = fake.userMessage({ content: 'what happened in 1998?' });
    const message = await pending;
    expect(message.id).toBe(sent.id);
    expect(message.content).toBe('what happened in 1998?');
    expect(message.inGuild()).toBe(true);
    expect(message.author.id).toBe(fake.users.member.id);

    const reply = await message.reply({ content: 'Let me look', allowedMentions: { repliedUser: false } });
    expect(reply.reference?.messageId).toBe(sent.id);
    const req = await fake.waitForRequest(routes.createMessage(fake.ids.channels.general));
    expect(req.body).toMatchObject({
      content: 'Let me look',
      message_reference: { message_id: sent.id },
      allowed_mentions: { replied_user: false },
    });
    expectValid(req);
  });

  it("echoes the bot's own messages back as MESSAGE_CREATE, as Discord does", async () => {
    const { fake, client } = h;
    const echoed = nextEvent(client, Events.MessageCreate, (m) => m.author.id === client.user.id);
    const channel = client.channels.cache.get(fake.ids.channels.general);
    if (!channel?.isSendable()) throw new Error('general should be sendable');
    const sent = await channel.send('hello');
    const [echo] = await echoed;
    expect(echo.id).toBe(sent.id);
  });

  it('supports mentions, other bots and webhooks; expectNoRequest catches unwanted answers', async () => {
    const { fake, client } = h;
    client.on(Events.MessageCreate, (message) => {
      if (message.author.bot || message.webhookId !== null) return;
      if (message.mentions.users.has(client.user.id)) void message.react('👀');
    });
    const mark = fake.mark();
    fake.userMessage({ content: 'beep', author: 'otherBot', mentionBot: true });
    fake.userMessage({ content: 'hook', webhookId: '123456789012345678', mentionBot: true });
    await fake.expectNoRequest(() => true, { waitMs: 150, after: mark });

    const mentioned = fake.userMessage({ content: 'hey bot', mentionBot: true });
    expect(mentioned.content).toBe(`<@${fake.users.bot.id}> hey bot`);
    const react = await fake.waitForRequest(routes.react(fake.ids.channels.general, mentioned.id, '👀'), { after: mark });
    expect(react.rawPath).toContain('%F0%9F%91%80');
    expect(react.response.status).toBe(204);
    expectValid(react);
    await expect(fake.expectNoRequest(routes.react(fake.ids.channels.general, mentioned.id), { waitMs: 10 })).rejects.toThrow(
      /expected no request/,
    );
  });

  it('resumes after a server-side close and keeps working', async () => {
    const { fake, client } = h;
    const sessionId = fake.sessionId;
    fake.closeGateway(4000);
    const resume = await fake.waitForResume(5_000);
    expect(resume.sessionId).toBe(sessionId);
    expect(resume.url).toContain('/resume');
    expect(fake.gatewayOps.some((op) => op.op === 6)).toBe(true);
    expect(fake.identifyCount).toBe(1);

    // Events dispatched while disconnected are replayed on resume.
    fake.closeGateway('abnormal');
    const pending = nextInteraction(client);
    const sent = fake.slashCommand({ name: 'ping' });
    const second = await fake.waitForResume(5_000);
    expect(second.replayed).toBeGreaterThanOrEqual(1);
    const interaction = await pending;
    expect(interaction.id).toBe(sent.id);
    if (!interaction.isRepliable()) throw new Error('expected a repliable interaction');
    await interaction.reply('pong');
    await fake.waitForRequest(routes.callback(sent));
    expect(fake.identifyCount).toBe(1);
  });

  it('answers with an overridden error: 10062 makes interaction.reply reject', async () => {
    const { fake, client } = h;
    const pending = nextInteraction(client);
    const sent = fake.slashCommand({ name: 'ask' });
    fake.override(routes.callback(sent), DiscordErrors.unknownInteraction);
    const interaction = await pending;
    if (!interaction.isRepliable()) throw new Error('expected a repliable interaction');
    const error: unknown = await interaction.reply('too late').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(10062);
    expect((error as DiscordAPIError).status).toBe(404);
    const req = await fake.waitForRequest(routes.callback(sent));
    expect(req.response.status).toBe(404);
  });

  it('answers 403 / 50013 when a route is overridden once', async () => {
    const { fake, client } = h;
    fake.override(routes.createMessage(fake.ids.channels.general), DiscordErrors.missingPermissions, { times: 1 });
    const channel = client.channels.cache.get(fake.ids.channels.general);
    if (!channel?.isSendable()) throw new Error('general should be sendable');
    await expect(channel.send('first')).rejects.toMatchObject({ code: 50013, status: 403 });
    await expect(channel.send('second')).resolves.toMatchObject({ content: 'second' });
  });

  it('rejects a second acknowledgement with 40060', async () => {
    const { fake, client } = h;
    const pending = nextInteraction(client);
    const sent = fake.slashCommand({ name: 'ask' });
    const interaction = await pending;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    await interaction.reply('one');
    // Bypass discord.js' own "already replied" guard to hit the fake.
    await expect(
      client.rest.post(`/interactions/${sent.id}/${sent.token}/callback`, { body: { type: 4, data: { content: 'two' } }, auth: false }),
    ).rejects.toMatchObject({
      code: 40060,
    });
  });

  it('handles autocomplete (type 8 result)', async () => {
    const { fake, client } = h;
    const pending = nextInteraction(client);
    const sent = fake.autocomplete({ name: 'ask', focused: { name: 'topic', value: 'elec' } });
    const interaction = await pending;
    if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
    expect(interaction.options.getFocused(true)).toMatchObject({ name: 'topic', value: 'elec', type: ApplicationCommandOptionType.String });
    await interaction.respond([{ name: 'elections', value: 'elections' }]);
    const req = await fake.waitForRequest(routes.callback(sent));
    expect(req.body).toEqual({ type: 8, data: { choices: [{ name: 'elections', value: 'elections' }] } });
    expectValid(req);
  });

  it('handles button presses (update = type 7, deferUpdate = type 6)', async () => {
    const { fake, client } = h;
    const pending = nextInteraction(client);
    const sent = fake.buttonPress({ customId: 'sources:more' });
    const interaction = await pending;
    if (!interaction.isButton()) throw new Error('expected a button');
    expect(interaction.customId).toBe('sources:more');
    expect(interaction.message.id).toBe(sent.message.id);
    await interaction.update({
      content: 'More sources',
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: 'sources:less', label: 'Less' }],
        },
      ],
    });
    const req = await fake.waitForRequest(routes.callback(sent));
    expect(req.body).toMatchObject({ type: 7, data: { content: 'More sources' } });
    expectValid(req);

    const pending2 = nextInteraction(client);
    const sent2 = fake.buttonPress({ customId: 'noop', message: sent.message });
    const second = await pending2;
    if (!second.isButton()) throw new Error('expected a button');
    await second.deferUpdate();
    const req2 = await fake.waitForRequest(routes.callback(sent2));
    expect(req2.body).toEqual({ type: 6 });
    expectValid(req2);
  });

  it('handles a message context-menu command', async () => {
    const { fake, client } = h;
    const pending = nextInteraction(client);
    const sent = fake.messageCommand({ name: 'Fact-check', targetContent: 'The moon is cheese' });
    const interaction = await pending;
    if (!interaction.isMessageContextMenuCommand()) throw new Error('expected a message context menu command');
    expect(interaction.targetId).toBe(sent.data.target_id);
    expect(interaction.targetMessage.content).toBe('The moon is cheese');
    await interaction.reply({ content: 'Checking', flags: MessageFlags.Ephemeral });
    const req = await fake.waitForRequest(routes.callback(sent));
    expect(req.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expectValid(req);
  });

  it('creates a forum post (THREAD_CREATE + starter MESSAGE_CREATE) and accepts a reply in it', async () => {
    const { fake, client } = h;
    const threadCreated = nextEvent(client, Events.ThreadCreate);
    const pending = nextUserMessage(client);
    const post = fake.forumPost({ title: 'Was the bridge finished in 1932?', content: 'Asking for a friend', tags: ['question'] });
    const [thread, newlyCreated] = await threadCreated;
    expect(newlyCreated).toBe(true);
    expect(thread.parentId).toBe(fake.ids.channels.forum);
    expect(thread.appliedTags).toEqual([fake.ids.forumTags.question]);
    const message = await pending;
    expect(message.id).toBe(post.thread.id);
    expect(message.channelId).toBe(post.thread.id);
    expect(message.channel.isThread()).toBe(true);
    await message.reply('Yes, in 1932.');
    const req = await fake.waitForRequest(routes.createMessage(post.thread.id));
    expectValid(req);
  });

  it('records command registration (PUT .../commands) and echoes it back', async () => {
    const { fake, client } = h;
    const ask = new SlashCommandBuilder()
      .setName('ask')
      .setDescription('Ask the archive')
      .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setAutocomplete(true))
      .setDefaultMemberPermissions(PermissionFlagsBits.SendMessages);
    const commands = await client.application.commands.set([ask.toJSON()]);
    expect([...commands.values()].map((c) => c.name)).toEqual(['ask']);
    const guildCommands = await client.application.commands.set([ask.toJSON()], fake.ids.guild);
    expect(guildCommands.size).toBe(1);
    const global = await fake.waitForRequest(routes.setGlobalCommands(fake.applicationId));
    const perGuild = await fake.waitForRequest(routes.setGuildCommands(fake.applicationId, fake.ids.guild));
    expect(global.body).toMatchObject([{ name: 'ask', default_member_permissions: '2048' }]);
    expectValid(global);
    expectValid(perGuild);

    // A dispatched command then carries the registered id.
    const pending = nextInteraction(client);
    fake.slashCommand({ name: 'ask', options: { question: 'q' } });
    const interaction = await pending;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    expect(interaction.commandId).toBe(commands.first()?.id);
  });

  it('records typing and multipart uploads (payload_json parsed, files kept)', async () => {
    const { fake, client } = h;
    const channel = client.channels.cache.get(fake.ids.channels.general);
    if (!channel?.isSendable()) throw new Error('general should be sendable');
    await channel.sendTyping();
    const typing = await fake.waitForRequest(routes.typing(fake.ids.channels.general));
    expect(typing.response.status).toBe(204);
    expectValid(typing);

    const sent = await channel.send({ content: 'figure', files: [{ attachment: Buffer.from('a,b\n1,2\n'), name: 'figure.csv' }] });
    expect(sent.attachments.first()?.name).toBe('figure.csv');
    const upload = await fake.waitForRequest(routes.createMessage(fake.ids.channels.general));
    expect(upload.contentType).toMatch(/^multipart\/form-data/);
    expect(upload.body).toMatchObject({ content: 'figure', attachments: [{ id: '0' }] });
    expect(upload.files).toHaveLength(1);
    expect(upload.files[0]?.filename).toBe('figure.csv');
    expect(upload.files[0]?.data.toString()).toBe('a,b\n1,2\n');
    expectValid(upload);
  });
});

describe('FakeDiscord Discord rules', () => {
  it('blanks message content without the MessageContent intent unless the bot is mentioned', async () => {
    const { fake, client } = await connect({}, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    const first = nextUserMessage(client);
    fake.userMessage({ content: 'secret' });
    expect((await first).content).toBe('');
    const second = nextUserMessage(client);
    fake.userMessage({ content: 'hello', mentionBot: true });
    expect((await second).content).toBe(`<@${fake.users.bot.id}> hello`);
  });

  it('acknowledges heartbeats and makes the client resume on op 7 RECONNECT', async () => {
    const { fake, client } = await connect({ heartbeatIntervalMs: 40 });
    // A heartbeat sent after READY carries the last sequence number (before READY it is null).
    const beat = await fake.waitForGatewayOp(1, 2_000, fake.gatewayOps.length);
    expect(beat.d).toBeGreaterThanOrEqual(2);
    // Several more heartbeats, however slow the machine: discord.js sends the next only once the last
    // was acknowledged (an unacknowledged one would make it drop the socket as a zombie and resume).
    let after = fake.gatewayOps.indexOf(beat) + 1;
    for (let i = 0; i < 3; i++) {
      const next = await fake.waitForGatewayOp(1, 2_000, after);
      after = fake.gatewayOps.indexOf(next) + 1;
    }
    expect(fake.resumes).toHaveLength(0);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);

    fake.requestReconnect();
    const resume = await fake.waitForResume();
    expect(resume.sessionId).toBe(fake.sessionId);
    expect(fake.connected).toBe(true);
    expect(fake.identifyCount).toBe(1);
  });

  it('answers 10062 when the first response comes after the interaction deadline', async () => {
    const { fake, client } = await connect({ interactionDeadlineMs: 30 });
    const pending = nextInteraction(client);
    fake.slashCommand({ name: 'ask' });
    const interaction = await pending;
    if (!interaction.isRepliable()) throw new Error('expected a repliable interaction');
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(interaction.reply('late')).rejects.toMatchObject({ code: 10062 });
  });

  it('refuses a wrong token when one is configured', async () => {
    const fake = new FakeDiscord({ token: 'right' });
    const { restUrl } = await fake.start();
    const client = new Client({ intents: INTENTS, rest: { api: restUrl } });
    cleanups.push(async () => {
      await client.destroy();
      await fake.close();
    });
    await expect(client.login('wrong')).rejects.toThrow();
  });

  it('closes cleanly and rejects pending waits', async () => {
    const fake = new FakeDiscord();
    await fake.start();
    const waiting = fake.waitForRequest({ method: 'GET', path: '/never' }, 5_000);
    await fake.close();
    await expect(waiting).rejects.toThrow(/closed/);
  });
});

describe('OpenAPI request validator', () => {
  it('accepts a valid interaction callback', () => {
    expect(validateRequest('create_interaction_response', { type: 4, data: { content: 'hi', allowed_mentions: { parse: [] } } })).toEqual(
      [],
    );
    expect(validateRequest('create_interaction_response', { type: 5, data: { flags: 64 } })).toEqual([]);
    expect(validateRequest('create_interaction_response', { type: 6 })).toEqual([]);
  });

  it('rejects an embed description over 4096 characters with a readable message', () => {
    const errors = validateRequest('create_interaction_response', { type: 4, data: { embeds: [{ description: 'x'.repeat(5000) }] } });
    expect(errors).toEqual(['data.embeds[0].description: must NOT have more than 4096 characters (got 5000 characters)']);
  });

  it('rejects unknown properties, wrong types and unknown callback types', () => {
    expect(validateRequest('create_interaction_response', { type: 4, data: { content: 'hi', allowedMentions: { parse: [] } } })).toEqual([
      'data: unknown property "allowedMentions" (not in the Discord spec)',
    ]);
    expect(validateRequest('create_interaction_response', { type: 4, data: { content: 42 } })).toEqual([
      'data.content: must be string or null (got 42)',
    ]);
    expect(validateRequest('create_interaction_response', { type: 3, data: { content: 'x' } })).toEqual([
      'type: must be one of 1, 4, 5, 6, 7, 8, 9, 12, 13 (got 3)',
    ]);
    expect(validateRequest('create_interaction_response', { data: { content: 'x' } })).toEqual([
      '(body): missing required property "type"',
    ]);
  });

  it('reports nested component errors only for the intended component type', () => {
    const errors = validateRequest('create_interaction_response', {
      type: 4,
      data: { components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'a', label: 'l'.repeat(81) }] }] },
    });
    expect(errors).toEqual(['data.components[0].components[0].label: must NOT have more than 80 characters (got 81 characters)']);
  });

  it('applies Discord rules the schema cannot express', () => {
    expect(validateRequest('create_message', { content: 'x'.repeat(2001) })).toEqual([
      'content: must NOT have more than 2000 characters (got 2001 characters)',
    ]);
    expect(validateRequest('create_message', { content: '' })[0]).toMatch(/Cannot send an empty message/);
    const embeds = [1, 2].map(() => ({ description: 'y'.repeat(3500) }));
    expect(validateRequest('create_message', { embeds })[0]).toMatch(/total at most 6000 characters \(got 7000\)/);
    expect(validateRequest('create_message', { content: 'x', allowed_mentions: { parse: ['users'], users: ['1'] } })[0]).toMatch(
      /mutually exclusive/,
    );
  });

  it('accepts default_member_permissions as a digit string (as documented) and rejects other strings', () => {
    const command = { name: 'ask', description: 'Ask', options: [{ type: 3, name: 'q', description: 'Question' }] };
    expect(validateRequest('bulk_set_application_commands', [{ ...command, default_member_permissions: '8' }])).toEqual([]);
    expect(validateRequest('bulk_set_guild_application_commands', [{ ...command, default_member_permissions: null }])).toEqual([]);
    expect(validateRequest('bulk_set_application_commands', [{ ...command, default_member_permissions: 'admin' }]).join('\n')).toMatch(
      /default_member_permissions/,
    );
    expect(validateRequest('bulk_set_application_commands', [{ name: 'ask', options: [{ type: 3, name: 'q' }] }])).toEqual([
      '[0].options[0]: missing required property "description"',
    ]);
  });

  it('matches recorded requests to operations and checks path and query parameters', () => {
    const good = validateRecordedRequest({
      method: 'PATCH',
      path: '/api/v10/webhooks/123/tok/messages/%40original',
      query: { with_components: 'true' },
      body: { content: 'edited' },
    });
    expect(good).toEqual({
      operationId: 'update_original_webhook_message',
      pathTemplate: '/webhooks/{webhook_id}/{webhook_token}/messages/@original',
      errors: [],
    });
    expect(
      validateRecordedRequest({ method: 'POST', path: '/webhooks/123/tok', query: { wait: 'true' }, body: { content: 'follow' } })
        .operationId,
    ).toBe('execute_webhook');
    const bad = validateRecordedRequest({
      method: 'POST',
      path: '/channels/undefined/messages',
      query: { foo: '1' },
      body: { content: 'x' },
    });
    expect(bad.errors).toEqual([
      'path parameter channel_id: must be a snowflake (a string of digits) (got "undefined")',
      'query parameter foo: not defined for create_message (known: none)',
    ]);
    expect(validateRecordedRequest({ method: 'GET', path: '/no/such/route' }).errors[0]).toMatch(/no such route/);
    expect(() => {
      assertValidRequests([{ method: 'POST', path: '/channels/1/messages', body: { content: 'x', embeds: [{ title: 't'.repeat(300) }] } }]);
    }).toThrow(/embeds\[0\]\.title: must NOT have more than 256 characters/);
  });

  it('reports only the closest branch of a union that is not discriminated by type', () => {
    expect(validateRequest('create_thread', { name: 'Post', message: { content: 'hi', bogus: 1 }, applied_tags: ['1'] })).toEqual([
      'message: unknown property "bogus" (not in the Discord spec)',
    ]);
    expect(validateRequest('execute_webhook', { content: 5 })).toEqual(['content: must be string or null (got 5)']);
  });

  it('can allow unknown properties when asked', () => {
    const lenient = new SpecValidator({ rejectUnknownProperties: false });
    expect(lenient.validateRequest('create_interaction_response', { type: 4, data: { content: 'hi', whatever: 1 } })).toEqual([]);
  });
});
