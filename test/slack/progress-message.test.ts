import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/jobs/job.js';
import type { ProgressEvent } from '../../src/core/progress.js';
import { StatusMessages } from '../../src/slack/progress-message.js';
import { FakeClock } from '../core/engine/fake-clock.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { silent, slackApiFor } from './slack-harness.js';

function jobOf(patch: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    state: 'queued',
    request: {
      mode: 't2v',
      model: 'MiniMax-Hailuo-2.3',
      prompt: 'a cat',
      duration: 6,
      resolution: '768P',
      promptOptimizer: true,
      watermark: false,
      imageSlots: [],
    },
    origin: { platform: 'slack', userId: 'U1', channelId: 'C1', ref: { channel: 'C1' } },
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    pollCount: 0,
    createAttempts: 0,
    ...patch,
  };
}

function eventOf(job: Job, patch: Partial<ProgressEvent>): ProgressEvent {
  return { jobId: job.id, job, kind: 'poll', state: job.state, elapsedMs: 0, at: 0, ...patch };
}

describe('StatusMessages pacing', () => {
  let fake: FakeSlack;
  let clock: FakeClock;
  let messages: StatusMessages;
  let stop: AbortController;
  let refs: Record<string, unknown>[];
  /** Real time for an HTTP request that should not happen to show up if it was sent. */
  const quiet = () => new Promise((r) => setTimeout(r, 50));

  beforeEach(async () => {
    stop = new AbortController();
    refs = [];
    fake = await FakeSlack.start();
    clock = new FakeClock();
    const api = slackApiFor(fake, clock, stop.signal);
    messages = new StatusMessages({
      api,
      service: {
        updateOriginRef: async (_id, patch) => {
          refs.push(patch);
          return undefined;
        },
      },
      clock,
      logger: silent,
      pacing: {
        minEditIntervalMs: 4_000,
        maxEditIntervalMs: 30_000,
        stateEditIntervalMs: 1_000,
        editsPerMinute: 45,
      },
      signal: stop.signal,
    });
  });
  afterEach(async () => {
    stop.abort();
    await fake.close();
  });

  async function posted(job: Job) {
    const ref = await messages.ensure(job);
    return jobOf({
      ...job,
      origin: { ...job.origin, ref: { ...job.origin.ref, statusTs: ref!.ts } },
    });
  }

  it('stores the posted message ts in the job origin', async () => {
    await posted(jobOf());
    const [post] = fake.recorder.of('chat.postMessage');
    expect(refs.at(-1)).toEqual({ statusTs: (post!.reply as { ts: string }).ts, channel: 'C1' });
  });

  it('coalesces a burst of polls into one edit that shows the latest, after the minimum gap', async () => {
    const job = await posted(jobOf({ state: 'generating' }));
    for (const s of [5, 6, 7, 8]) messages.onProgress(eventOf(job, { elapsedMs: s * 1000 }));
    await clock.advance(3_900);
    await quiet();
    expect(fake.recorder.of('chat.update')).toHaveLength(0);
    await clock.advance(100);
    const update = await fake.recorder.waitForCall('chat.update');
    expect(JSON.stringify(update.args.blocks)).toContain('0:08 elapsed');
    await clock.advance(10_000);
    await quiet();
    expect(fake.recorder.of('chat.update')).toHaveLength(1);
  });

  it('does not edit when the rendering has not changed', async () => {
    const job = await posted(jobOf());
    messages.onProgress(eventOf(job, { kind: 'position', elapsedMs: 100 }));
    await clock.advance(10_000);
    await quiet();
    expect(fake.recorder.of('chat.update')).toHaveLength(0);
  });

  it('spaces routine edits of an old job further apart than those of a young one', async () => {
    const job = await posted(jobOf({ state: 'generating' }));
    messages.onProgress(eventOf(job, { elapsedMs: 600_000 }));
    await clock.advance(29_000);
    await quiet();
    expect(fake.recorder.of('chat.update')).toHaveLength(0);
    await clock.advance(1_000);
    await fake.recorder.waitForCall('chat.update');
  });

  it('shows a state change after the short state gap', async () => {
    const job = await posted(jobOf());
    messages.onProgress(
      eventOf({ ...job, state: 'submitting' }, { kind: 'state', elapsedMs: 200 }),
    );
    await clock.advance(1_000);
    const update = await fake.recorder.waitForCall('chat.update');
    expect(String(update.args.text)).toContain('Sending to MiniMax');
  });
});
