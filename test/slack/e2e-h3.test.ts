import { afterEach, describe, expect, it } from 'vitest';
import { SlackHarness } from './slack-harness.js';

/** Issue #13 on Slack: MiniMax-H3 from /video text and the form, sound, Upscale to 2K. */
describe('MiniMax-H3 on Slack', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('makes a 9:16, 12 s video with sound from /video and upscales it to 2K in the thread', async () => {
    h = await SlackHarness.create({ mode: 'socket' });
    await h.fake.slashCommand({
      text: 'rain on a tin roof --model MiniMax-H3 --ratio 9:16 --duration 12',
    });
    const source = await h.waitForState(['done']);
    expect(h.sim.creates()[0]?.body).toMatchObject({
      model: 'MiniMax-H3',
      ratio: '9:16',
      duration: 12,
    });
    const uploaded = [...h.fake.state.files.values()].find((f) => f.uploaded);
    expect(uploaded?.bytes.includes(Buffer.from('mp4a'))).toBe(true);
    const post = await h.fake.recorder.waitForCall('chat.postMessage');
    const ts = (post.reply as { ts: string }).ts;
    const done = await h.fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && JSON.stringify(a.blocks).includes('video_upscale'),
    );
    const blocks = JSON.stringify(done.args.blocks);
    expect(blocks).toContain('This video has sound.');
    expect(blocks).toContain('Upscale to 2K (up to US$ 1.56)');
    await h.fake.blockAction({
      actionId: 'video_upscale',
      value: source.id,
      channelId: 'C0CHANNEL',
      messageTs: ts,
    });
    await expect
      .poll(() => h!.sim.requests.filter((r) => r.route === 'regenerate').length, {
        timeout: 8_000,
      })
      .toBe(1);
    const upscaled = await h.waitForState(['done'], undefined, 8_000).then(async () => {
      await expect
        .poll(async () => (await h!.app.store.listActive()).length, { timeout: 8_000 })
        .toBe(0);
      const jobs = await h!.app.store.listByUser('slack', 'U0USER', 5);
      return jobs.find((j) => j.request.upscaleOf);
    });
    expect(upscaled).toMatchObject({ state: 'done', request: { resolution: '2K' } });
    const status = h.fake.recorder.of('chat.postMessage').find((c) => c.args.thread_ts === ts);
    expect(status).toBeDefined();
  });

  it('says a cancelled queued H3 video is not charged', async () => {
    h = await SlackHarness.create({
      mode: 'socket',
      timelineMs: { preparing: 5, queueing: 60_000, processing: 30 },
    });
    await h.fake.slashCommand({ text: 'slow one --model MiniMax-H3' });
    const job = await h.waitForState(['generating']);
    const post = await h.fake.recorder.waitForCall('chat.postMessage');
    const ts = (post.reply as { ts: string }).ts;
    await h.fake.blockAction({
      actionId: 'video_cancel',
      value: job.id,
      channelId: 'C0CHANNEL',
      messageTs: ts,
    });
    const cancelled = await h.fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && JSON.stringify(a.blocks).includes('nothing is charged'),
    );
    expect(JSON.stringify(cancelled.args.blocks)).toContain(
      'MiniMax had not started the video, so nothing is charged.',
    );
    expect(h.sim.cancelledTasks()).toEqual([job.taskId]);
  });
});
