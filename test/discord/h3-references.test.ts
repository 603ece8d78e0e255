import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { encodeCarried } from '../../src/discord/modal.js';
import {
  bytesOf,
  expectReferencesSent,
  MEDIA,
  rolesOf,
  SCENARIOS,
  type SentReferences,
} from '../fixtures/h3-media.js';
import { type DiscordHarness, useDiscordHarness } from './discord-harness.js';

const file = (path: string, contentType: string) => ({
  filename: path.split('/').at(-1)!,
  bytes: bytesOf(path),
  contentType,
});
const png = () => file(MEDIA.frame, 'image/png');
const jpg = () => file(MEDIA.photo, 'image/jpeg');
const webp = () => file(MEDIA.last, 'image/webp');
const mp3 = () => file(MEDIA.voice, 'audio/mpeg');
const mp4 = () => file(MEDIA.clip, 'video/mp4');

const H3 = { model: 'MiniMax-H3' };
const EXPECT = SCENARIOS;
const expectSent = (h: DiscordHarness, want: SentReferences) => expectReferencesSent(h.sim, want);

/** Issue #13 per Discord surface: frames, three reference images with a voice, a reference video. */
describe('MiniMax-H3 references on Discord', () => {
  const discord = useDiscordHarness();
  const start = (env: Record<string, string> = {}) =>
    discord.start({
      simOptions: { timelineMs: { preparing: 20, queueing: 20, processing: 60 } },
      env,
    });

  describe('/video options', () => {
    const slash = async (options: Parameters<DiscordHarness['fake']['slashCommand']>[1]) => {
      const h = await start();
      await h.waitForVideo(await h.replyIdOf(h.fake.slashCommand('video', { ...H3, ...options })));
      return h;
    };

    it('first and last frame', async () => {
      expectSent(
        await slash({ prompt: 'a girl grows up', image: png(), last_frame: webp() }),
        EXPECT.frames,
      );
    });

    it('three reference images and one voice', async () => {
      const h = await slash({
        prompt: 'the woman of image 1 sings with the voice of audio 1',
        ratio: '9:16',
        subject: png(),
        reference_1: jpg(),
        reference_2: webp(),
        reference_3: mp3(),
      });
      expectSent(h, EXPECT.refsAudio);
      expect(h.sim.creates()[0]!.body).toMatchObject({ ratio: '9:16' });
      const shown = [...h.fake.state.messages.values()].map((m) => m.content).join('\n');
      expect(shown).toContain('references: 3 images, 1 audio clip');
    });

    it('one reference video', async () => {
      expectSent(await slash({ prompt: 'dance like this', reference_1: mp4() }), EXPECT.video);
    });

    it('a voice alone is refused in one sentence and nothing is uploaded or created', async () => {
      const h = await start();
      const reply = await h.replyIdOf(
        h.fake.slashCommand('video', { ...H3, prompt: 'sing', reference_1: mp3() }),
      );
      await expect
        .poll(() => h.fake.state.messages.get(reply)?.content, { timeout: 10_000 })
        .toBe(
          '❌ A reference audio clip needs a reference image or video beside it (whose voice it is); attach one too.',
        );
      expect(h.sim.creates()).toHaveLength(0);
      expect(h.sim.uploads()).toHaveLength(0);
    });
  });

  describe('the /video modal', () => {
    const submit = async (
      fields: Record<string, string | ReturnType<typeof png>[]>,
      ratio = '',
    ) => {
      const h = await start();
      // The modal opened by `/video model:MiniMax-H3 duration:12 ratio:…` with no prompt.
      const id = encodeCarried({ model: 'MiniMax-H3', duration: 12, ...(ratio ? { ratio } : {}) });
      const i = h.fake.modalSubmit(id, fields);
      await h.waitForVideo(await h.replyIdOf(i));
      return h;
    };

    it('opens with a references field when /video names MiniMax-H3 and no prompt', async () => {
      const h = await start();
      h.fake.slashCommand('video', { ...H3, ratio: '9:16' });
      const cb = await h.fake.recorder.waitForRequest('POST', /\/callback$/);
      const data = (cb.body as { data: { custom_id: string; components: unknown[] } }).data;
      expect(data.custom_id).toBe('video-modal|MiniMax-H3||||||9:16|');
      const json = JSON.stringify(data.components);
      expect(json.match(/"type":19/g)).toHaveLength(4);
      expect(json).toMatch(/"custom_id":"references",[^}]*"max_values":10/);
    });

    it('text alone: 9:16, 12 s, with sound', async () => {
      const h = await submit({ prompt: 'rain on a tin roof' }, '9:16');
      expect(h.sim.creates()[0]!.body).toMatchObject({ ratio: '9:16', duration: 12 });
      expect(rolesOf(h.sim.creates()[0]!.body)).toEqual(['text']);
    });

    it('first and last frame', async () => {
      expectSent(
        await submit({ prompt: 'grows up', first: [png()], last: [webp()] }),
        EXPECT.frames,
      );
    });

    it('three reference images and one voice in the references field', async () => {
      const h = await submit(
        { prompt: 'she sings', references: [png(), jpg(), webp(), mp3()] },
        '9:16',
      );
      expectSent(h, EXPECT.refsAudio);
    });

    it('one reference video', async () => {
      expectSent(await submit({ prompt: 'dance like this', references: [mp4()] }), EXPECT.video);
    });
  });

  describe('mentions and replies', () => {
    async function videoReplyTo(h: DiscordHarness, id: string): Promise<APIMessage> {
      const find = () =>
        h.fake
          .messagesIn()
          .find((m) => m.author.id === h.fake.bot.id && m.message_reference?.message_id === id);
      await expect.poll(() => find()?.attachments.length, { timeout: 15_000 }).toBe(1);
      return find()!;
    }
    const mention = async (text: string, files: ReturnType<typeof png>[], env = {}) => {
      const h = await start(env);
      const msg = h.fake.userMessage({
        content: `<@${h.fake.bot.id}> ${text}`,
        files,
        mentionBot: true,
      });
      await videoReplyTo(h, msg.id);
      return h;
    };

    it('text alone: 9:16, 12 s, with sound', async () => {
      const h = await mention(
        'rain on a tin roof --model MiniMax-H3 --ratio 9:16 --duration 12',
        [],
      );
      expect(h.sim.creates()[0]!.body).toMatchObject({ ratio: '9:16', duration: 12 });
    });

    it('two images are the first and last frame', async () => {
      expectSent(await mention('grows up --model MiniMax-H3', [png(), webp()]), EXPECT.frames);
    });

    it('three images and a voice are references, with DEFAULT_MODEL=MiniMax-H3', async () => {
      const h = await mention('she sings', [png(), jpg(), webp(), mp3()], {
        DEFAULT_MODEL: 'MiniMax-H3',
      });
      expectSent(h, EXPECT.refsAudio);
    });

    it('a pinged reply with a clip makes a reference video', async () => {
      const h = await start({ DEFAULT_MODEL: 'MiniMax-H3' });
      const botMsg = h.fake.state.createMessage({
        channelId: h.fake.channelId,
        author: h.fake.bot,
        body: { content: 'earlier video' },
      });
      const msg = h.fake.userMessage({
        content: 'dance like this',
        files: [mp4()],
        replyTo: botMsg.id,
        mentionBot: true,
      });
      await videoReplyTo(h, msg.id);
      expectSent(h, EXPECT.video);
    });
  });
});
