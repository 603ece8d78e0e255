import { readFileSync } from 'node:fs';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from './fake-discord.js';
import { OpenApiValidator } from './openapi-validator.js';

const png = readFileSync(new URL('../../fixtures/frame.png', import.meta.url));
const mp4 = readFileSync(new URL('../../../assets/sample.mp4', import.meta.url));

describe('fake Discord', () => {
  let validator: OpenApiValidator | undefined;
  let fake: FakeDiscord | undefined;
  let client: Client | undefined;

  beforeAll(() => {
    validator = OpenApiValidator.load();
  });

  afterEach(async () => {
    await client?.destroy();
    await fake?.stop();
    client = undefined;
    fake = undefined;
  });

  async function connect(intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds]) {
    fake = await startFakeDiscord({
      ...(validator ? { validator } : {}),
      heartbeatIntervalMs: 500,
    });
    client = new Client({ intents, rest: { api: fake.apiUrl } });
    const ready = new Promise<void>((resolve) => client!.once(Events.ClientReady, () => resolve()));
    await client.login(fake.token);
    await ready;
    return { fake, client };
  }

  it('lets discord.js defer a slash command and edit the reply with an MP4', async () => {
    const { fake, client } = await connect();
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      const image = i.options.getAttachment('image', true);
      const bytes = Buffer.from(await (await fetch(image.url)).arrayBuffer());
      await i.editReply({
        content: `got ${bytes.length} bytes`,
        files: [{ attachment: mp4, name: 'video.mp4' }],
      });
    });
    const inter = fake.slashCommand('video', {
      prompt: 'a cat',
      image: { filename: 'f.png', bytes: png },
    });
    const edit = await fake.recorder.waitForRequest('PATCH', /messages\/@original$/);
    expect(edit.files[0]?.bytes.equals(mp4)).toBe(true);
    const msg = fake.state.messages.get(fake.state.interactions.get(inter.id)!.originalMessageId!);
    expect(msg?.content).toBe(`got ${png.length} bytes`);
    expect(msg?.attachments).toHaveLength(1);
    expect(fake.contractFailures).toEqual([]);
  });

  it('hides message content from a bot without the intent unless it is mentioned', async () => {
    const { fake, client } = await connect([
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
    ]);
    const seen: { content: string; files: number }[] = [];
    client.on(Events.MessageCreate, (m) => {
      seen.push({ content: m.content, files: m.attachments.size });
    });
    fake.userMessage({ content: 'hello', files: [{ filename: 'a.png', bytes: png }] });
    fake.userMessage({
      content: `<@${fake.bot.id}> hi`,
      files: [{ filename: 'a.png', bytes: png }],
      mentionBot: true,
    });
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toEqual([
      { content: '', files: 0 },
      { content: `<@${fake.bot.id}> hi`, files: 1 },
    ]);
  });

  it('answers an injected 429 and discord.js retries the edit', async () => {
    const { fake, client } = await connect();
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply('done');
    });
    fake.rateLimitNext('PATCH', /@original$/, 0.05);
    fake.slashCommand('video', { prompt: 'x' });
    await fake.recorder.waitFor((r) => r.method === 'PATCH' && r.status === 200);
    expect(fake.recorder.find('PATCH', /@original$/).map((r) => r.status)).toEqual([429, 200]);
  });

  it('rejects a message body that breaks the OpenAPI spec', () => {
    const v = validator!;
    const good = v.check({
      method: 'PATCH',
      path: '/channels/1/messages/2',
      query: {},
      contentType: 'json',
      body: { content: 'ok' },
    });
    const bad = v.check({
      method: 'PATCH',
      path: '/channels/1/messages/2',
      query: {},
      contentType: 'json',
      body: { content: 42, attachments: [{ filename: 'video.mp4' }] },
    });
    const unknown = v.check({ method: 'GET', path: '/nope', query: {}, contentType: 'none' });
    expect(good).toEqual([]);
    expect(bad.length).toBeGreaterThan(0);
    expect(unknown).toEqual(['no route /nope in the spec']);
  });
});
