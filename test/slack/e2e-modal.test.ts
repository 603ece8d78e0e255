import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeFile } from '../fakes/slack/state.js';
import { fileJson } from '../fakes/slack/state.js';
import { fixture, SlackHarness } from './slack-harness.js';

type Values = Record<string, Record<string, Record<string, unknown>>>;

function values(input: {
  prompt?: string;
  model?: string;
  duration?: string;
  first?: FakeFile;
  last?: FakeFile;
  subject?: FakeFile;
}): Values {
  const select = (v?: string) => ({
    type: 'static_select',
    selected_option: v ? { value: v, text: { type: 'plain_text', text: v } } : null,
  });
  const files = (f?: FakeFile) => ({ type: 'file_input', files: f ? [fileJson(f)] : [] });
  return {
    prompt: { value: { type: 'plain_text_input', value: input.prompt ?? null } },
    model: { value: select(input.model) },
    duration: { value: select(input.duration) },
    resolution: { value: select() },
    camera: { value: select() },
    first_frame: { value: files(input.first) },
    last_frame: { value: files(input.last) },
    subject: { value: files(input.subject) },
  };
}

describe('Slack /video form (modal with file_input)', () => {
  let h: SlackHarness;
  let png: Buffer;
  let jpg: Buffer;
  beforeAll(async () => {
    h = await SlackHarness.create({ mode: 'socket' });
    png = await fixture('frame.png');
    jpg = await fixture('frame.jpg');
  });
  afterAll(async () => {
    await h.close();
  });

  async function openForm(): Promise<Record<string, unknown>> {
    const before = h.fake.state.views.length;
    const ack = await h.fake.slashCommand({ text: '' });
    expect(ack.body).toEqual({});
    await h.fake.recorder.waitFor(() => h.fake.state.views.length > before);
    return h.fake.state.views.at(-1)!;
  }

  async function submitAndFinish(vals: Values) {
    const view = await openForm();
    const doneBefore = h.events.filter((e) => e.state === 'done').length;
    const ack = await h.fake.viewSubmission({ view, values: vals });
    expect(ack.body).toEqual({});
    await h.fake.recorder.waitFor(
      () => h.events.filter((e) => e.state === 'done').length > doneBefore,
      8_000,
      'a finished job',
    );
    return h.sim.creates().at(-1)!.body as Record<string, unknown>;
  }

  it('opens a form with prompt, selects, three image slots and MiniMax-H3 references when /video has no text', async () => {
    const view = await openForm();
    const blocks = view.blocks as { block_id: string; element: { type: string } }[];
    expect(blocks.map((b) => b.block_id)).toEqual([
      'prompt',
      'model',
      'duration',
      'resolution',
      'ratio',
      'enhance',
      'camera',
      'first_frame',
      'last_frame',
      'subject',
      'references',
    ]);
    expect(blocks.filter((b) => b.element.type === 'file_input')).toHaveLength(4);
  });

  it('makes a text-to-video job from the prompt and selects', async () => {
    const body = await submitAndFinish(
      values({ prompt: 'a paper boat in the rain', duration: '10' }),
    );
    expect(body).toMatchObject({ prompt: 'a paper boat in the rain', duration: 10 });
    expect(body.first_frame_image).toBeUndefined();
  });

  it('downloads the first frame with the bot token and sends it as a data URL', async () => {
    const first = h.fake.addUserFile(png, 'frame.png', 'image/png');
    const body = await submitAndFinish(values({ prompt: 'it starts to snow', first }));
    expect(String(body.first_frame_image)).toBe(`data:image/png;base64,${png.toString('base64')}`);
    const download = h.fake.recorder.calls.find(
      (c) => c.method === 'file_download' && c.args.fileId === first.id,
    );
    expect(download?.token).toBe(h.fake.botToken);
    expect(download?.status).toBe(200);
  });

  it('makes a first-and-last-frame job from two images', async () => {
    const first = h.fake.addUserFile(png, 'a.png', 'image/png');
    const last = h.fake.addUserFile(jpg, 'b.jpg', 'image/jpeg');
    const body = await submitAndFinish(values({ prompt: 'morph', first, last }));
    expect(body.model).toBe('MiniMax-Hailuo-02');
    expect(String(body.first_frame_image)).toMatch(/^data:image\/png;base64,/);
    expect(String(body.last_frame_image)).toMatch(/^data:image\/jpeg;base64,/);
  });

  it('makes a subject-reference job from a face photo and a prompt', async () => {
    const subject = h.fake.addUserFile(jpg, 'face.jpg', 'image/jpeg');
    const body = await submitAndFinish(values({ prompt: 'this person surfing', subject }));
    expect(body.model).toBe('S2V-01');
    expect(body.subject_reference).toEqual([
      { type: 'character', image: [`data:image/jpeg;base64,${jpg.toString('base64')}`] },
    ]);
  });

  it('keeps the form open with an inline error when it has neither prompt nor image', async () => {
    const view = await openForm();
    const creates = h.sim.creates().length;
    const ack = await h.fake.viewSubmission({ view, values: values({}) });
    expect(ack.body).toMatchObject({
      response_action: 'errors',
      errors: { prompt: expect.any(String) },
    });
    expect(h.sim.creates()).toHaveLength(creates);
  });

  it('tells the user privately when an image cannot be used, without calling MiniMax', async () => {
    const view = await openForm();
    const creates = h.sim.creates().length;
    const tiny = h.fake.addUserFile(await fixture('tiny.png'), 'tiny.png', 'image/png');
    await h.fake.viewSubmission({ view, values: values({ prompt: 'x', first: tiny }) });
    const note = await h.fake.recorder.waitForCall('chat.postEphemeral');
    expect(note.args.user).toBe('U0USER');
    expect(String(note.args.text)).toMatch(/px|pixels|small/i);
    expect(h.sim.creates()).toHaveLength(creates);
  });
});
