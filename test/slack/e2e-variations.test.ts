import { afterEach, describe, expect, it } from 'vitest';
import { SlackHarness } from './slack-harness.js';

describe('Slack Variations', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('makes a create that differs from the source and says how in the status message', async () => {
    h = await SlackHarness.create({ mode: 'socket' });
    await h.fake.slashCommand({ text: 'a paper boat --camera "Push in"' });
    const source = await h.waitForState(['done']);
    const post = await h.fake.recorder.waitForCall('chat.postMessage');
    const ts = (post.reply as { ts: string }).ts;
    const done = await h.fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && JSON.stringify(a.blocks).includes('video_variations'),
    );
    expect(done).toBeDefined();
    await h.fake.blockAction({
      actionId: 'video_variations',
      value: source.id,
      channelId: 'C0CHANNEL',
      messageTs: ts,
    });
    await expect.poll(() => h!.sim.creates().length, { timeout: 8_000 }).toBe(2);
    const [first, second] = h.sim.creates().map((r) => r.body as Record<string, unknown>);
    expect(first!.prompt).toBe('a paper boat [Push in]');
    expect(second).toEqual({ ...first, prompt: 'a paper boat [Pan left]' });
    const stated = await h.fake.recorder.waitForCall('chat.postMessage', (a) =>
      JSON.stringify(a).includes('variation: camera [Pan left] instead of [Push in]'),
    );
    expect(stated.args.thread_ts).toBe(ts);
  });
});
