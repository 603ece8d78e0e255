import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackApi } from '../../src/slack/slack-api.js';
import { FakeClock } from '../core/engine/fake-clock.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { slackApiFor } from './slack-harness.js';

describe('SlackApi rate limits', () => {
  let fake: FakeSlack;
  let clock: FakeClock;
  let api: SlackApi;
  let stop: AbortController;

  beforeEach(async () => {
    fake = await FakeSlack.start();
    clock = new FakeClock();
    stop = new AbortController();
    api = slackApiFor(fake, clock, stop.signal);
  });
  afterEach(async () => {
    stop.abort();
    await fake.close();
  });

  const message = { text: 'hi', blocks: [] };

  /** Fails the test when no timer is pending on the fake clock within 1 s. */
  async function untilPending(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (clock.pendingTimers > 0) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('no timer became pending on the fake clock within 1 s');
  }

  it('waits the Retry-After of a 429 on the clock, then tries again', async () => {
    fake.fail('chat.postMessage', { status: 429, retryAfterSec: 7, error: 'ratelimited' });
    const posting = api.postMessage('C1', message);
    await untilPending();
    expect(api.pausedUntil).toBe(clock.now() + 7_000);
    await clock.advance(6_999);
    expect(fake.recorder.of('chat.postMessage')).toHaveLength(0);
    await clock.advance(1);
    const ref = await posting;
    expect(ref.channel).toBe('C1');
    expect(fake.recorder.of('chat.postMessage', { all: true }).map((c) => c.status)).toEqual([
      429, 200,
    ]);
  });

  it('treats an ok:false "ratelimited" answer without Retry-After as a one-second pause', async () => {
    fake.fail('chat.postMessage', { error: 'ratelimited' });
    const posting = api.postMessage('C1', message);
    await untilPending();
    expect(api.pausedUntil).toBe(clock.now() + 1_000);
    await clock.advance(1_000);
    await expect(posting).resolves.toMatchObject({ channel: 'C1' });
  });

  it('does not wait inside a status edit but records the pause for the pacer', async () => {
    const ref = await api.postMessage('C1', message);
    fake.fail('chat.update', { status: 429, retryAfterSec: 3 });
    await expect(api.update(ref, message)).rejects.toMatchObject({ retryAfter: 3 });
    expect(api.pausedUntil).toBe(clock.now() + 3_000);
  });

  it('passes other errors straight through', async () => {
    fake.fail('chat.postMessage', { error: 'channel_not_found' });
    await expect(api.postMessage('C1', message)).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    expect(api.pausedUntil).toBe(0);
  });
});
