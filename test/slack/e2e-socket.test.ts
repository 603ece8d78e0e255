import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackHarness, sampleMp4 } from './slack-harness.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Slack adapter over Socket Mode', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await SlackHarness.create({ mode: 'socket' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('turns /video with a prompt into one status message, edits it, and uploads the MP4 into its thread', async () => {
    const { fake } = h;
    const ack = await fake.slashCommand({
      text: 'a cat surfing at sunset --duration 6 --camera "Pan left"',
    });
    expect(ack.body).toEqual({});

    const job = await h.waitForState(['done', 'failed']);
    expect(job.state).toBe('done');
    const post = await fake.recorder.waitForCall('chat.postMessage');
    const ts = (post.reply as { ts: string }).ts;
    const final = await fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && String(a.text).includes('Done'),
    );
    expect(JSON.stringify(final.args.blocks)).toContain('watch the video');

    // Exactly one status message; every edit went to it.
    expect(fake.recorder.of('chat.postMessage')).toHaveLength(1);
    for (const u of fake.recorder.of('chat.update')) expect(u.args.ts).toBe(ts);

    const sample = await sampleMp4();
    const [getUrl] = fake.recorder.of('files.getUploadURLExternal');
    expect(Number(getUrl!.args.length)).toBe(sample.length);
    const file = fake.state.files.get(String((getUrl!.reply as { file_id: string }).file_id))!;
    expect(file.bytes.length).toBe(file.declaredLength);
    expect(sha(file.bytes)).toBe(sha(sample));

    const [complete] = fake.recorder.of('files.completeUploadExternal');
    expect(complete!.args.channel_id).toBe('C0CHANNEL');
    expect(complete!.args.thread_ts).toBe(ts);
    expect(String(complete!.args.initial_comment)).toContain('a cat surfing at sunset');
    expect(String(complete!.args.initial_comment)).toContain('[Pan left]');

    expect(h.sim.creates()).toHaveLength(1);
    expect((h.sim.creates()[0]!.body as { prompt: string }).prompt).toContain('[Pan left]');
  });

  it('answers an unknown flag in the ack, ephemerally, without calling MiniMax', async () => {
    const ack = await h.fake.slashCommand({ text: 'a cat --fps 24' });
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String((ack.body as { text: string }).text)).toContain('--fps');
    expect(h.sim.creates()).toHaveLength(0);
    expect(h.fake.recorder.of('chat.postMessage')).toHaveLength(0);
  });

  it('answers a request MiniMax cannot do in plain language through response_url, with no MiniMax call', async () => {
    await h.fake.slashCommand({ text: 'a cat --resolution 1080P --duration 10' });
    const reply = await h.fake.recorder.waitFor((c) => c.method === 'response_url');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(String(reply.args.text)).toMatch(/1080P/);
    expect(h.sim.creates()).toHaveLength(0);
    expect(h.fake.recorder.of('chat.postMessage')).toHaveLength(0);
  });

  it('tells the user to invite the bot when it cannot post in the conversation, and never calls MiniMax', async () => {
    h.fake.fail('chat.postMessage', { error: 'not_in_channel' });
    await h.fake.slashCommand({ text: 'a secret project', channelId: 'G0PRIVATE' });
    const reply = await h.fake.recorder.waitFor((c) => c.method === 'response_url');
    expect(String(reply.args.text)).toContain('/invite');
    expect(h.events).toHaveLength(0);
    expect(h.sim.creates()).toHaveLength(0);
  });

  it('makes a new video in the same thread when its requester clicks Regenerate', async () => {
    const { fake } = h;
    await fake.slashCommand({ text: 'a red kite', userId: 'U0OWNER' });
    const first = await h.waitForState(['done']);
    const post = await fake.recorder.waitForCall('chat.postMessage');
    const ts = (post.reply as { ts: string }).ts;
    await fake.blockAction({
      actionId: 'video_regenerate',
      value: first.id,
      // Only the requester (or an admin) may remake a video (issue #12).
      userId: 'U0OWNER',
      channelId: 'C0CHANNEL',
      messageTs: ts,
    });
    const second = await fake.recorder.waitForCall('chat.postMessage', (a) => a.thread_ts === ts);
    const secondTs = (second.reply as { ts: string }).ts;
    await fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === secondTs && String(a.text).includes('Done'),
    );
    const completes = fake.recorder.of('files.completeUploadExternal');
    expect(completes).toHaveLength(2);
    expect(completes[1]!.args.thread_ts).toBe(ts);
    expect(h.sim.creates()).toHaveLength(2);
    expect(h.sim.creates()[1]!.body).toMatchObject({ prompt: 'a red kite' });
  });
});

describe('Slack requests refused by the quota', () => {
  let h: SlackHarness;
  afterEach(async () => {
    await h.close();
  });

  it('posts no status message and explains the limit privately', async () => {
    h = await SlackHarness.create({ mode: 'socket', env: { USER_DAILY_LIMIT: '1' } });
    await h.fake.slashCommand({ text: 'the first of the day' });
    await h.waitForState(['done']);
    await h.fake.slashCommand({ text: 'one too many' });
    const reply = await h.fake.recorder.waitFor((c) => c.method === 'response_url');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(String(reply.args.text)).toMatch(/limit|today/i);
    // Only the first request's status message: the quota is decided before anything is posted.
    expect(h.fake.recorder.of('chat.postMessage')).toHaveLength(1);
    expect(h.fake.recorder.of('chat.delete')).toHaveLength(0);
    expect(h.sim.creates()).toHaveLength(1);
  });
});

describe('Slack status messages with a busy queue', () => {
  let h: SlackHarness;
  afterEach(async () => {
    await h.close();
  });

  it('shows a waiting job its place in line', async () => {
    h = await SlackHarness.create({
      mode: 'socket',
      env: { MAX_ACTIVE_JOBS: '1' },
      timelineMs: { preparing: 10, queueing: 10, processing: 400 },
    });
    await h.fake.slashCommand({ text: 'first in line', userId: 'U0A' });
    await h.waitForState(['generating']);
    await h.fake.slashCommand({ text: 'second in line', userId: 'U0B' });
    const posts = () => h.fake.recorder.of('chat.postMessage');
    await h.fake.recorder.waitFor(() => posts().length === 2);
    const ts = (posts()[1]!.reply as { ts: string }).ts;
    // The place shows in the first version of the message or in an edit of it.
    const waiting = await h.fake.recorder.waitFor(
      (c) =>
        (c === posts()[1] || (c.method === 'chat.update' && c.args.ts === ts)) &&
        JSON.stringify(c.args.blocks).includes('number 1 in line'),
    );
    expect(waiting.args.text).toBe('Video: Queued: number 1 in line');
    await h.fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && String(a.text).includes('Done'),
    );
  });
});
