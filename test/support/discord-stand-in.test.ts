import { readFileSync } from 'node:fs';
import {
  AttachmentBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  TextInputStyle,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenApiValidator } from './discord/openapi.js';
import { type DiscordStandIn, type RestLogEntry, startDiscordStandIn } from './discord/stand-in.js';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
/** Enough of an mp4 for content sniffing: an `ftyp` box followed by an empty `mdat`. */
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isomiso2'),
  Buffer.from([0, 0, 0, 8]),
  Buffer.from('mdat'),
]);

let standIn: DiscordStandIn;
const clients: Client[] = [];

function makeClient(): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: standIn.restApi, retries: 0 },
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
  });
  clients.push(client);
  return client;
}

async function login(): Promise<Client<true>> {
  const client = makeClient();
  const ready = new Promise<Client<true>>((resolve) => client.once('clientReady', resolve));
  await client.login(standIn.token);
  return ready;
}

function nextInteraction<T extends Interaction = Interaction>(client: Client): Promise<T> {
  return new Promise((resolve) => client.once('interactionCreate', (i) => resolve(i as T)));
}

async function apiErrorOf(p: Promise<unknown>): Promise<DiscordAPIError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiscordAPIError);
  return err as DiscordAPIError;
}

const isRoute = (method: string, prefix: string) => (e: RestLogEntry) =>
  e.method === method && e.route.startsWith(prefix);

beforeEach(async () => {
  standIn = await startDiscordStandIn({ guilds: 2 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  await standIn.close();
});

describe('Discord stand-in with an unmodified discord.js Client', () => {
  it('logs in: READY + GUILD_CREATE for every guild, channels and permissions cached', async () => {
    const client = await login();
    await standIn.waitForReady(1000);
    expect(client.user.id).toBe(standIn.ids.botUser);
    expect(client.application.id).toBe(standIn.ids.app);
    expect(client.guilds.cache.size).toBe(2);
    const [first] = standIn.ids.guilds;
    const guild = client.guilds.cache.get(first?.id ?? '');
    const channel = guild?.channels.cache.get(first?.channel ?? '');
    expect(channel?.isTextBased()).toBe(true);
    const me = guild?.members.me;
    expect(me && channel?.permissionsFor(me)?.has(['SendMessages', 'AttachFiles'])).toBe(true);
    const identify = standIn.frames.find((f) => f.dir === 'in' && f.op === 2);
    expect(identify?.d).toMatchObject({ intents: 1, token: standIn.token });
    const app = await client.application.fetch();
    expect(app.botPublic).toBe(true);
    standIn.assertNoViolations();
  });

  it('runs the /animate flow: attachment from the CDN, defer, mp4 edit, JSON edit, follow-up, channel messages', async () => {
    const client = await login();
    const image = standIn.seedAttachment('cat.png', 'image/png', PNG_1x1);
    expect(image.width).toBe(1);
    expect(new URL(image.url).searchParams.get('hm')).toMatch(/^[0-9a-f]{64}$/);
    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    const sent = standIn.sendSlashCommand({
      name: 'animate',
      options: [
        { name: 'image', type: 11, value: image.id },
        { name: 'prompt', type: 3, value: 'make it dance' },
      ],
    });
    const interaction = await arrived;
    expect(interaction.id).toBe(sent.id);
    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.guildId).toBe(standIn.ids.guilds[0]?.id);
    expect(interaction.channel?.id).toBe(standIn.ids.guilds[0]?.channel);
    expect(interaction.attachmentSizeLimit).toBe(10 * 1024 * 1024);
    expect(interaction.options.getString('prompt')).toBe('make it dance');
    const attachment = interaction.options.getAttachment('image', true);
    expect(attachment.contentType).toBe('image/png');

    await interaction.deferReply();
    expect(standIn.original(sent)?.flags).toBe(MessageFlags.Loading);

    const download = await fetch(attachment.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG_1x1)).toBe(true);

    const edited = await interaction.editReply({
      content: 'Here is your video',
      files: [new AttachmentBuilder(MP4, { name: 'video.mp4' })],
    });
    const patch = await standIn.waitForRest(isRoute('PATCH', `/webhooks/${standIn.ids.app}/`));
    expect(patch.route).toMatch(/\/messages\/@original$/);
    expect(patch.headers.authorization).toBeUndefined();
    expect(patch.files).toMatchObject([
      { field: 'files[0]', name: 'video.mp4', type: 'video/mp4', size: MP4.length },
    ]);
    expect(patch.json).toMatchObject({ content: 'Here is your video', attachments: [{ id: '0' }] });
    expect(edited.attachments.first()?.contentType).toBe('video/mp4');
    const original = standIn.original(sent);
    expect(original?.flags).toBe(0);
    expect(original?.attachments[0]?.filename).toBe('video.mp4');
    const video = await fetch(original?.attachments[0]?.url ?? '');
    expect(Buffer.from(await video.arrayBuffer()).equals(MP4)).toBe(true);

    const jsonEdit = await interaction.editReply({ content: 'Done', embeds: [{ title: 'Sora 2' }] });
    expect(jsonEdit.content).toBe('Done');
    expect(standIn.original(sent)?.attachments).toHaveLength(1);
    expect(standIn.original(sent)?.edited_timestamp).not.toBeNull();

    const follow = await interaction.followUp({ content: 'follow-up done' });
    expect(follow.content).toBe('follow-up done');
    expect(follow.id).not.toBe(original?.id);
    expect(standIn.log.some((e) => e.method === 'POST' && e.query.wait === 'true')).toBe(true);

    const channel = interaction.channel;
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const posted = await channel.send('Your video is ready');
    expect(standIn.messages.get(posted.id)?.author.id).toBe(standIn.ids.botUser);
    const post = await standIn.waitForRest(isRoute('POST', `/channels/${channel.id}/messages`));
    expect(post.headers.authorization).toBe(`Bot ${standIn.token}`);

    const viaChannel = await channel.messages.edit(edited.id, { content: 'edited with the bot token' });
    expect(viaChannel.content).toBe('edited with the bot token');
    expect(standIn.messages.get(edited.id)?.content).toBe('edited with the bot token');
    const fetched = await channel.messages.fetch({ message: edited.id, force: true });
    expect(fetched.content).toBe('edited with the bot token');
    standIn.assertNoViolations();
  });

  it('answers with_response=true with the interaction callback resource', async () => {
    const client = await login();
    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    standIn.sendSlashCommand({ name: 'animate', user: 'admin', locale: 'de', guild: 1 });
    const interaction = await arrived;
    expect(interaction.locale).toBe('de');
    expect(interaction.guildId).toBe(standIn.ids.guilds[1]?.id);
    expect(interaction.memberPermissions?.has('ManageGuild')).toBe(true);
    const response = await interaction.deferReply({ flags: MessageFlags.Ephemeral, withResponse: true });
    expect(response.interaction.responseMessageEphemeral).toBe(true);
    expect(response.resource?.message?.flags.has('Loading')).toBe(true);
    // The first follow-up after a deferral replaces the "thinking…" message and stays ephemeral.
    const follow = await interaction.followUp({ content: 'done' });
    expect(follow.id).toBe(response.resource?.message?.id);
    expect(follow.flags.has('Ephemeral')).toBe(true);
    standIn.assertNoViolations();
  });

  it('rejects a token older than 15 minutes with 50027 and counts it', async () => {
    const client = await login();
    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    standIn.sendSlashCommand({ name: 'animate', createdAt: standIn.clock.now() - 16 * 60_000 });
    const interaction = await arrived;
    await interaction.deferReply();
    const err = await apiErrorOf(interaction.editReply('too late'));
    expect(err.code).toBe(50027);
    expect(err.status).toBe(401);
    expect(standIn.expiredTokenUses).toBe(1);

    // Same through the clock: 14m55s old, then 10 s pass.
    const second = nextInteraction<ChatInputCommandInteraction>(client);
    standIn.sendSlashCommand({ name: 'animate', createdAt: standIn.clock.now() - (14 * 60_000 + 55_000) });
    const fresh = await second;
    await fresh.deferReply();
    await fresh.editReply('still in time');
    standIn.clock.advance(10_000);
    expect((await apiErrorOf(fresh.followUp('expired now'))).code).toBe(50027);
    // The bot token keeps working after webhook 401s.
    if (!fresh.channel?.isSendable()) throw new Error('channel not sendable');
    await fresh.channel.send('fallback message');
    standIn.assertNoViolations();
  });

  it('rejects an upload over the interaction attachment_size_limit with 40005', async () => {
    const client = await login();
    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    standIn.sendSlashCommand({ name: 'animate', attachmentSizeLimit: 1024 });
    const interaction = await arrived;
    expect(interaction.attachmentSizeLimit).toBe(1024);
    await interaction.deferReply();
    const big = Buffer.concat([MP4, Buffer.alloc(2048)]);
    const err = await apiErrorOf(
      interaction.editReply({ files: [new AttachmentBuilder(big, { name: 'v.mp4' })] }),
    );
    expect(err.code).toBe(40005);
    expect(err.status).toBe(413);
    standIn.assertNoViolations();
  });

  it('answers a first ack after 3 s with 10062 and records violations', async () => {
    const client = await login();
    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    standIn.sendSlashCommand({ name: 'animate' });
    const interaction = await arrived;
    await new Promise((r) => setTimeout(r, 3200));
    const err = await apiErrorOf(interaction.deferReply());
    expect(err.code).toBe(10062);
    expect(standIn.violations.join('\n')).toMatch(/not acknowledged within 3000 ms/);
    expect(standIn.violations.join('\n')).toMatch(/first ack arrived \d+ ms after/);
  });

  it('answers a second ack with 40060 and records a violation', async () => {
    const client = await login();
    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    const sent = standIn.sendSlashCommand({ name: 'animate' });
    await arrived;
    const route = Routes.interactionCallback(sent.id, sent.token);
    await client.rest.post(route, { body: { type: 5 }, auth: false });
    const err = await apiErrorOf(client.rest.post(route, { body: { type: 5 }, auth: false }));
    expect(err.code).toBe(40060);
    expect(standIn.violations).toEqual([expect.stringMatching(/already acknowledged/)]);
  });

  it('sends a 429 with rate-limit headers once; discord.js waits and retries', async () => {
    const client = await login();
    const channelId = standIn.ids.guilds[0]?.channel ?? '';
    standIn.rateLimitNext((e) => e.method === 'POST' && e.route === `/channels/${channelId}/messages`, 0.3);
    const channel = client.channels.cache.get(channelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const started = Date.now();
    await channel.send('after the rate limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const posts = standIn.log.filter((e) => e.route === `/channels/${channelId}/messages`);
    expect(posts.map((e) => e.status)).toEqual([429, 200]);
    standIn.assertNoViolations();
  });

  it('records unknown routes and invalid message bodies as violations', async () => {
    const client = await login();
    const err = await apiErrorOf(client.rest.get('/definitely/not/a/route' as `/${string}`));
    expect(err.status).toBe(404);
    expect(standIn.violations).toEqual([expect.stringMatching(/unknown route/)]);
    const channel = client.channels.cache.get(standIn.ids.guilds[0]?.channel ?? '');
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const tooLong = await apiErrorOf(channel.send('x'.repeat(2001)));
    expect(tooLong.code).toBe(50035);
    expect(() => standIn.assertNoViolations()).toThrow(/content: Must be between 0 and 2000/);
    expect(() => standIn.assertNoViolations(/unknown route|content/)).not.toThrow();
  });

  it('delivers button and modal-submit interactions; showModal is recorded', async () => {
    const client = await login();
    const buttonArrived = nextInteraction(client);
    const button = standIn.sendButton({ customId: 'retry:42' });
    const b = await buttonArrived;
    if (!b.isButton()) throw new Error('expected a button');
    expect(b.customId).toBe('retry:42');
    expect(b.message.id).toBe((button.payload.message as { id: string }).id);
    const modal = new ModalBuilder()
      .setCustomId('prompt-modal')
      .setTitle('Prompt')
      .addLabelComponents((label) =>
        label
          .setLabel('Text')
          .setTextInputComponent((input) => input.setCustomId('text').setStyle(TextInputStyle.Short)),
      );
    await b.showModal(modal);
    expect(standIn.modal(button)).toMatchObject({ custom_id: 'prompt-modal', title: 'Prompt' });

    const modalArrived = nextInteraction(client);
    const submit = standIn.sendModalSubmit({ customId: 'prompt-modal', fields: { text: 'hello modal' } });
    const m = await modalArrived;
    if (!m.isModalSubmit()) throw new Error('expected a modal submit');
    expect(m.fields.getTextInputValue('text')).toBe('hello modal');
    await m.reply({ content: `modal said: ${m.fields.getTextInputValue('text')}` });
    expect(standIn.original(submit)?.content).toBe('modal said: hello modal');

    const updateArrived = nextInteraction(client);
    standIn.sendButton({ customId: 'cancel', messageId: standIn.original(submit)?.id ?? '' });
    const u = await updateArrived;
    if (!u.isButton()) throw new Error('expected a button');
    await u.update({ content: 'cancelled', components: [] });
    expect(standIn.original(submit)?.content).toBe('cancelled');
    standIn.assertNoViolations();
  });

  it('delivers DM interactions and autocomplete', async () => {
    const client = await login();
    const dmArrived = nextInteraction<ChatInputCommandInteraction>(client);
    standIn.sendSlashCommand({ name: 'help', dm: true });
    const dm = await dmArrived;
    expect(dm.guildId).toBeNull();
    expect(dm.user.id).toBe(standIn.ids.user);
    expect(dm.context).toBe(1);
    await dm.reply({ content: 'hi', flags: MessageFlags.Ephemeral });

    const acArrived = nextInteraction(client);
    const ac = standIn.sendAutocomplete({
      name: 'animate',
      options: [{ name: 'model', type: 3, value: 'so', focused: true }],
    });
    const a = await acArrived;
    if (!a.isAutocomplete()) throw new Error('expected autocomplete');
    expect(a.options.getFocused()).toBe('so');
    await a.respond([{ name: 'Sora 2', value: 'sora-2' }]);
    expect(standIn.modal(ac)).toEqual({ choices: [{ name: 'Sora 2', value: 'sora-2' }] });
    standIn.assertNoViolations();
  });

  it('validates and stores registered commands', async () => {
    const client = await login();
    const animate = {
      name: 'animate',
      description: 'Turn an image into a video',
      description_localizations: { de: 'Bild in Video verwandeln' },
      options: [
        { name: 'image', description: 'Image', type: 11, required: true },
        { name: 'prompt', description: 'Prompt', type: 3, max_length: 1000 },
      ],
    };
    const set = await client.application.commands.set([animate]);
    expect(set.first()?.name).toBe('animate');
    expect(standIn.commands.global).toHaveLength(1);
    const guildId = standIn.ids.guilds[0]?.id ?? '';
    await client.application.commands.set([{ name: 'setup', description: 'Configure' }], guildId);
    expect(standIn.commands.byGuild.get(guildId)).toMatchObject([{ name: 'setup', guild_id: guildId }]);

    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    standIn.sendSlashCommand({ name: 'animate' });
    expect((await arrived).commandId).toBe(set.first()?.id);
    standIn.violations.length = 0; // the unanswered interaction above is not what this test is about

    const err = await apiErrorOf(
      client.application.commands.set([
        { ...animate, name: 'Animate' },
        {
          name: 'x',
          description: 'd'.repeat(101),
          name_localizations: { xx: 'x' } as Record<string, string>,
        },
      ]),
    );
    expect(err.code).toBe(50035);
    expect(err.message).toMatch(/name/);
    expect(standIn.violations.join('\n')).toMatch(/invalid commands/);
    expect(standIn.commands.global).toHaveLength(1);
  });

  it('replays dispatches missed while disconnected on RESUME; op 9 (false) leads to a fresh IDENTIFY', async () => {
    const client = await login();
    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    const resumed = new Promise((resolve) => client.once('shardResume', resolve));
    standIn.closeGateway(4000);
    standIn.sendSlashCommand({ name: 'animate' }); // buffered, replayed after RESUME
    const interaction = await arrived;
    await resumed;
    await interaction.deferReply();
    const resumeAt = standIn.frames.findIndex((f) => f.dir === 'in' && f.op === 6);
    const deliveredAt = standIn.frames.findIndex((f) => f.t === 'INTERACTION_CREATE');
    expect(resumeAt).toBeGreaterThan(0);
    expect(deliveredAt).toBeGreaterThan(resumeAt);

    const reidentified = new Promise((resolve) => client.once('shardReady', resolve));
    standIn.sendOp(9, false);
    await reidentified;
    expect(standIn.frames.filter((f) => f.dir === 'in' && f.op === 2)).toHaveLength(2);
    await standIn.waitForReady(1000);
    const again = nextInteraction(client);
    standIn.sendButton({ customId: 'after-reidentify' });
    const button = await again;
    if (!button.isButton()) throw new Error('expected a button');
    await button.deferUpdate();
    standIn.assertNoViolations();
  });

  it('rejects a wrong bot token at login (401 on /gateway/bot)', async () => {
    const client = makeClient();
    await expect(client.login('wrong-token')).rejects.toThrow(/token/i);
    expect(standIn.violations).toEqual([
      expect.stringMatching(/GET \/gateway\/bot: bot route called with a wrong token/),
    ]);
  });

  it('survives an op 7 reconnect (RESUME) and lets a second client log in after the first is destroyed', async () => {
    const first = await login();
    const resumed = new Promise((resolve) => first.once('shardResume', resolve));
    standIn.sendOp(7);
    await resumed;
    expect(standIn.frames.some((f) => f.dir === 'in' && f.op === 6)).toBe(true);
    await first.destroy();

    const second = await login();
    await standIn.waitForReady(1000);
    const arrived = nextInteraction<ChatInputCommandInteraction>(second);
    standIn.sendSlashCommand({ name: 'animate' });
    const interaction = await arrived;
    await interaction.reply('second client here');
    expect(standIn.frames.filter((f) => f.dir === 'in' && f.op === 2)).toHaveLength(2);
    standIn.assertNoViolations();
  });

  it('keeps interaction tokens out of every violation message, OpenAPI or not', async () => {
    const client = await login();
    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    const sent = standIn.sendSlashCommand({ name: 'animate' });
    await arrived;
    // A webhook edit before any acknowledgement: the stand-in's own check fires, with the route.
    await apiErrorOf(
      client.rest.patch(Routes.webhookMessage(standIn.ids.app, sent.token), { body: {}, auth: false }),
    );
    expect(standIn.violations.join('\n')).toMatch(/PATCH \/webhooks\/\d+\/\{token\}\/messages\/@original/);
    expect(standIn.violations.join('\n')).not.toContain(sent.token);
  });
});

describe("Discord stand-in: request bodies against Discord's OpenAPI description", () => {
  async function deferredCommand(client: Client) {
    const arrived = nextInteraction<ChatInputCommandInteraction>(client);
    const sent = standIn.sendSlashCommand({ name: 'animate' });
    const interaction = await arrived;
    return { sent, interaction };
  }

  it('accepts what discord.js sends for a rich reply: embeds, buttons, mentions, an mp4 upload, an ephemeral follow-up', async () => {
    const client = await login();
    const { interaction } = await deferredCommand(client);
    await interaction.deferReply();
    await interaction.editReply({
      content: 'Your video is ready',
      embeds: [
        {
          title: 'Sora 2 · 10 s',
          description: 'make it dance',
          color: 0x5865f2,
          url: 'https://example.com/jobs/1',
          timestamp: new Date(0).toISOString(),
          image: { url: 'attachment://video.mp4' },
          footer: { text: 'job 1' },
          fields: [{ name: 'Model', value: 'sora-2', inline: true }],
        },
      ],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: ButtonStyle.Secondary, custom_id: 'retry:1', label: 'Retry' },
            { type: 2, style: ButtonStyle.Link, url: 'https://example.com/v.mp4', label: 'Open' },
          ],
        },
      ],
      allowedMentions: { parse: [] },
      files: [new AttachmentBuilder(MP4, { name: 'video.mp4', description: 'the video' })],
    });
    await interaction.followUp({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
    expect(standIn.log.filter((e) => e.headers['content-type']?.startsWith('multipart/'))).toHaveLength(1);
    standIn.assertNoViolations();
  });

  it('records a wrong field type inside a multipart payload_json, naming the operation and field but not the token', async () => {
    const client = await login();
    const { sent, interaction } = await deferredCommand(client);
    await interaction.deferReply();
    await interaction.editReply({
      embeds: [{ title: 'Sora 2', color: 'blurple' as unknown as number }],
      files: [new AttachmentBuilder(MP4, { name: 'video.mp4' })],
    });
    expect(standIn.violations).toEqual([
      expect.stringMatching(
        /^PATCH \/webhooks\/\d+\/\{token\}\/messages\/@original \(update_original_webhook_message\): .*\/embeds\/0\/color must be integer,null, got "blurple"$/,
      ),
    ]);
    expect(standIn.violations.join('\n')).not.toContain(sent.token);
  });

  it('records what only the spec knows (an embed url that is no URI, a text input in a message) and still answers', async () => {
    const client = await login();
    const { sent, interaction } = await deferredCommand(client);
    await interaction.reply({
      embeds: [{ title: 'Sora 2', url: 'jobs/1' }],
      components: [
        { type: 1, components: [{ type: 4, custom_id: 'prompt', style: 1, label: 'Prompt' }] },
      ] as never,
    });
    const problems = standIn.violations.join('\n');
    expect(problems).toMatch(
      /^POST \/interactions\/\d+\/\{token\}\/callback \(create_interaction_response\)/,
    );
    expect(problems).toMatch(/\/data\/embeds\/0\/url must match format "uri", got "jobs\/1"/);
    expect(problems).toMatch(
      /\/data\/components\/0\/components\/0\/type must be equal to one of the allowed values \(2, 8, 7, 6, 3, 5\), got 4/,
    );
    expect(standIn.violations).toHaveLength(1);
    expect(standIn.original(sent)?.embeds).toHaveLength(1);
  });

  it('accepts default_member_permissions as discord.js sends it (a string of digits) and nothing looser', async () => {
    const client = await login();
    await client.application.commands.set([
      { name: 'setup', description: 'Configure', defaultMemberPermissions: PermissionFlagsBits.ManageGuild },
    ]);
    const put = await standIn.waitForRest(isRoute('PUT', `/applications/${standIn.ids.app}/commands`));
    expect(put.json).toMatchObject([{ default_member_permissions: '32' }]);
    standIn.assertNoViolations();

    await client.rest.put(Routes.applicationCommands(standIn.ids.app), {
      body: [{ name: 'setup', description: 'Configure', default_member_permissions: 'ManageGuild' }],
    });
    expect(standIn.violations).toEqual([
      expect.stringMatching(
        /PUT \/applications\/\d+\/commands .*\/0\/default_member_permissions must match pattern/,
      ),
    ]);
  });

  it('refuses to start when the spec no longer says what an override corrects', () => {
    const spec = JSON.parse(
      readFileSync(new URL('./discord/spec/discord-openapi.json', import.meta.url), 'utf8'),
    ) as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const create = spec.components.schemas.ApplicationCommandCreateRequest;
    if (!create) throw new Error('ApplicationCommandCreateRequest missing from the spec');
    create.properties.default_member_permissions = { type: ['string', 'null'] };
    expect(() => new OpenApiValidator(spec)).toThrow(
      /"default_member_permissions is a string of digits".*ApplicationCommandCreateRequest.*The spec changed/,
    );
  });
});
