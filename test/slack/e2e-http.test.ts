import { afterEach, describe, expect, it } from 'vitest';
import { fixture, SlackHarness } from './slack-harness.js';

describe('Slack adapter over signed HTTP on the bot server', () => {
  let h: SlackHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('acks a signed /video request and finishes the video in the thread of its status message', async () => {
    h = await SlackHarness.create({ mode: 'http' });
    const ack = await h.fake.slashCommand({ text: 'a lighthouse in a storm' });
    expect(ack.status).toBe(200);
    const job = await h.waitForState(['done', 'failed']);
    expect(job.state).toBe('done');
    const post = await h.fake.recorder.waitForCall('chat.postMessage');
    const ts = (post.reply as { ts: string }).ts;
    await h.fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && String(a.text).includes('Done'),
    );
    const [complete] = h.fake.recorder.of('files.completeUploadExternal');
    expect(complete!.args.thread_ts).toBe(ts);
  });

  it('refuses a request with a bad signature or a stale timestamp with 401 and makes no job', async () => {
    h = await SlackHarness.create({ mode: 'http' });
    const form = new URLSearchParams({
      command: '/video',
      text: 'x',
      user_id: 'U1',
      channel_id: 'C1',
    });
    const bad = await h.fake.postSigned(form.toString(), 'form', { badSignature: true });
    expect(bad.status).toBe(401);
    const stale = await h.fake.postSigned(form.toString(), 'form', {
      timestampSec: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    expect(h.events).toHaveLength(0);
  });

  it("answers Slack's url_verification challenge", async () => {
    h = await SlackHarness.create({ mode: 'http' });
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 't' });
    const res = await h.fake.postSigned(body, 'json');
    expect(res).toMatchObject({ status: 200, body: { challenge: 'abc123' } });
  });

  it('makes one job from an app_mention that Slack delivers again with X-Slack-Retry-Num', async () => {
    h = await SlackHarness.create({ mode: 'http' });
    const png = h.fake.addUserFile(await fixture('frame.png'), 'frame.png');
    const mention = {
      text: '<@U0BOT> make it rain',
      files: [png],
      ts: '1700000500.000100',
      eventId: 'Ev42',
    };
    const first = await h.fake.appMention(mention);
    const retry = await h.fake.appMention({ ...mention, retryNum: 1, retryReason: 'http_timeout' });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers?.['x-slack-no-retry']).toBe('1');
    await h.waitForState(['done']);
    expect(h.sim.creates()).toHaveLength(1);
    expect(h.fake.recorder.of('chat.postMessage')).toHaveLength(1);
    expect(h.fake.recorder.calls.filter((c) => c.method === 'file_download')).toHaveLength(1);
  });

  it('animates the image of a mention, posting status and video in the mention thread', async () => {
    h = await SlackHarness.create({ mode: 'http' });
    const png = h.fake.addUserFile(await fixture('frame.png'), 'frame.png');
    await h.fake.appMention({
      text: '<@U0BOT> the waves start moving',
      files: [png],
      ts: '1700000600.000100',
    });
    const job = await h.waitForState(['done', 'failed']);
    expect(job.state).toBe('done');
    expect(job.request.mode).toBe('i2v');
    const post = await h.fake.recorder.waitForCall('chat.postMessage');
    expect(post.args.thread_ts).toBe('1700000600.000100');
    const [complete] = h.fake.recorder.of('files.completeUploadExternal');
    expect(complete!.args.thread_ts).toBe('1700000600.000100');
    expect((h.sim.creates()[0]!.body as { prompt: string }).prompt).toBe('the waves start moving');
  });

  it('uses the images of the thread parent when a mention inside the thread has none', async () => {
    h = await SlackHarness.create({ mode: 'http' });
    const a = h.fake.addUserFile(await fixture('frame.png'), 'a.png');
    const b = h.fake.addUserFile(await fixture('frame.jpg'), 'b.jpg', 'image/jpeg');
    const parentTs = h.fake.postUserMessage('C0CHANNEL', 'two frames', [a, b]);
    await h.fake.appMention({ text: '<@U0BOT> blend these', threadTs: parentTs });
    const job = await h.waitForState(['done', 'failed']);
    expect(job.request.mode).toBe('fl2v');
    const post = await h.fake.recorder.waitForCall('chat.postMessage');
    expect(post.args.thread_ts).toBe(parentTs);
  });

  it('answers a mention with three images in plain language without calling MiniMax', async () => {
    h = await SlackHarness.create({ mode: 'http' });
    const png = await fixture('frame.png');
    const files = [1, 2, 3].map((i) => h.fake.addUserFile(png, `${i}.png`));
    await h.fake.appMention({ text: '<@U0BOT> go', files });
    const note = await h.fake.recorder.waitForCall('chat.postEphemeral');
    expect(String(note.args.text)).toContain('this message has 3');
    expect(h.sim.creates()).toHaveLength(0);
  });

  it('lets only the requester cancel, then shows the cancellation in the status message', async () => {
    h = await SlackHarness.create({
      mode: 'http',
      timelineMs: { preparing: 50, queueing: 50, processing: 5_000 },
    });
    await h.fake.slashCommand({ text: 'a very long render', userId: 'U0OWNER' });
    const job = await h.waitForState(['generating']);
    const post = await h.fake.recorder.waitForCall('chat.postMessage');
    const ts = (post.reply as { ts: string }).ts;
    const click = {
      actionId: 'video_cancel',
      value: job.id,
      channelId: 'C0CHANNEL',
      messageTs: ts,
    };

    await h.fake.blockAction({ ...click, userId: 'U0OTHER' });
    const refusal = await h.fake.recorder.waitForCall('chat.postEphemeral');
    expect(refusal.args.user).toBe('U0OTHER');
    expect(String(refusal.args.text)).toMatch(/Only the person who asked/);

    await h.fake.blockAction({ ...click, userId: 'U0OWNER' });
    const cancelled = await h.waitForState(['cancelled'], job.id);
    expect(cancelled.cancelRequestedBy).toBe('U0OWNER');
    const update = await h.fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && String(a.text).includes('Cancelled'),
    );
    expect(JSON.stringify(update.args.blocks)).toContain('video_regenerate');
    expect(h.fake.recorder.of('files.getUploadURLExternal')).toHaveLength(0);
  });
});
