import { afterEach, describe, expect, it } from 'vitest';
import type { FakeFile } from '../fakes/slack/state.js';
import { fileJson } from '../fakes/slack/state.js';
import {
  bytesOf,
  expectReferencesSent,
  MEDIA,
  SCENARIOS,
  type SentReferences,
} from '../fixtures/h3-media.js';
import { SlackHarness } from './slack-harness.js';

const EXPECT = SCENARIOS;

/** Issue #13 per Slack surface: /video text, the form's file inputs, mentions with files. */
describe('MiniMax-H3 references on Slack', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const start = async (env: Record<string, string> = {}) => {
    h = await SlackHarness.create({ mode: 'socket', env });
    return h;
  };
  const add = (hh: SlackHarness, path: string, mime: string): FakeFile =>
    hh.fake.addUserFile(bytesOf(path), path.split('/').at(-1)!, mime);
  const files = (hh: SlackHarness) => ({
    png: add(hh, MEDIA.frame, 'image/png'),
    jpg: add(hh, MEDIA.photo, 'image/jpeg'),
    webp: add(hh, MEDIA.last, 'image/webp'),
    mp3: add(hh, MEDIA.voice, 'audio/mpeg'),
    mp4: add(hh, MEDIA.clip, 'video/mp4'),
  });

  async function finished(hh: SlackHarness, want: SentReferences) {
    await hh.waitForState(['done'], undefined, 10_000);
    expectReferencesSent(hh.sim, want);
  }

  it('/video text: 9:16, 12 s, with sound (slash commands carry no files)', async () => {
    const hh = await start();
    await hh.fake.slashCommand({
      text: 'rain on a tin roof --model MiniMax-H3 --ratio 9:16 --duration 12',
    });
    await finished(hh, EXPECT.text);
    expect(hh.sim.creates()[0]!.body).toMatchObject({ ratio: '9:16', duration: 12 });
  });

  describe('the /video form', () => {
    type Values = Record<string, Record<string, Record<string, unknown>>>;
    const values = (input: {
      first?: FakeFile;
      last?: FakeFile;
      references?: FakeFile[];
    }): Values => {
      const select = (v?: string) => ({
        type: 'static_select',
        selected_option: v ? { value: v, text: { type: 'plain_text', text: v } } : null,
      });
      const fileInput = (f: FakeFile[]) => ({ type: 'file_input', files: f.map(fileJson) });
      return {
        prompt: { value: { type: 'plain_text_input', value: 'the woman of image 1 sings' } },
        model: { value: select('MiniMax-H3') },
        duration: { value: select() },
        resolution: { value: select() },
        ratio: { value: select('9:16') },
        camera: { value: select() },
        first_frame: { value: fileInput(input.first ? [input.first] : []) },
        last_frame: { value: fileInput(input.last ? [input.last] : []) },
        subject: { value: fileInput([]) },
        references: { value: fileInput(input.references ?? []) },
      };
    };
    async function submit(hh: SlackHarness, vals: Values) {
      const before = hh.fake.state.views.length;
      await hh.fake.slashCommand({ text: '' });
      await hh.fake.recorder.waitFor(() => hh.fake.state.views.length > before);
      const view = hh.fake.state.views.at(-1)!;
      const blocks = JSON.stringify(view.blocks);
      expect(blocks).toContain('"block_id":"references"');
      expect(blocks).toContain('"max_files":10');
      await hh.fake.viewSubmission({ view, values: vals });
    }

    it('first and last frame', async () => {
      const hh = await start();
      const f = files(hh);
      await submit(hh, values({ first: f.png, last: f.webp }));
      await finished(hh, EXPECT.frames);
    });

    it('three reference images and one voice', async () => {
      const hh = await start();
      const f = files(hh);
      await submit(hh, values({ references: [f.png, f.jpg, f.webp, f.mp3] }));
      await finished(hh, EXPECT.refsAudio);
    });

    it('one reference video', async () => {
      const hh = await start();
      const f = files(hh);
      await submit(hh, values({ references: [f.mp4] }));
      await finished(hh, EXPECT.video);
    });
  });

  describe('mentions', () => {
    it('text alone: 9:16, 12 s', async () => {
      const hh = await start();
      await hh.fake.appMention({
        text: '<@U0BOT> rain --model MiniMax-H3 --ratio 9:16 --duration 12',
      });
      await finished(hh, EXPECT.text);
    });

    it('two images are the first and last frame', async () => {
      const hh = await start();
      const f = files(hh);
      await hh.fake.appMention({
        text: '<@U0BOT> grows up --model MiniMax-H3',
        files: [f.png, f.webp],
      });
      await finished(hh, EXPECT.frames);
    });

    it('three images and a voice are references, with DEFAULT_MODEL=MiniMax-H3', async () => {
      const hh = await start({ DEFAULT_MODEL: 'MiniMax-H3' });
      const f = files(hh);
      await hh.fake.appMention({
        text: '<@U0BOT> she sings',
        files: [f.png, f.jpg, f.webp, f.mp3],
      });
      await finished(hh, EXPECT.refsAudio);
    });

    it('a clip is a reference video', async () => {
      const hh = await start({ DEFAULT_MODEL: 'MiniMax-H3' });
      const f = files(hh);
      await hh.fake.appMention({ text: '<@U0BOT> dance like this', files: [f.mp4] });
      await finished(hh, EXPECT.video);
    });

    it('more than 12 files are refused privately in one sentence', async () => {
      const hh = await start({ DEFAULT_MODEL: 'MiniMax-H3' });
      const many = Array.from({ length: 13 }, () => add(hh, MEDIA.frame, 'image/png'));
      await hh.fake.appMention({ text: '<@U0BOT> all of them', files: many });
      const note = await hh.fake.recorder.waitForCall('chat.postEphemeral');
      expect(note.args.text).toBe(
        'MiniMax-H3 takes at most 12 files at once, and this message has 13; leave some out.',
      );
      expect(hh.sim.creates()).toHaveLength(0);
    });

    it('a too-short clip is refused privately in one sentence, nothing uploaded or created', async () => {
      const hh = await start({ DEFAULT_MODEL: 'MiniMax-H3' });
      const short = add(hh, MEDIA.clip1s, 'video/mp4');
      await hh.fake.appMention({ text: '<@U0BOT> dance', files: [short] });
      const note = await hh.fake.recorder.waitForCall('chat.postEphemeral');
      expect(note.args.text).toBe(
        'Reference video 1 (clip-1s.mp4) lasts 1.0 s; clips must last 2 to 15 seconds, so trim it.',
      );
      expect(hh.sim.creates()).toHaveLength(0);
      expect(hh.sim.uploads()).toHaveLength(0);
    });
  });
});
