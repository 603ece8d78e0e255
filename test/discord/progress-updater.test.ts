import { DiscordAPIError } from 'discord.js';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Job, JobState } from '../../src/core/jobs/job.js';
import type { ProgressEvent } from '../../src/core/progress.js';
import type { MessageView } from '../../src/discord/progress-message.js';
import { ProgressUpdater } from '../../src/discord/progress-updater.js';
import { ManualClock } from './manual-clock.js';

const HOUR = 3_600_000;

function jobAt(clock: ManualClock, patch: Partial<Job> = {}, messageAgeMs = 0): Job {
  return {
    id: 'job1',
    state: 'generating',
    request: {
      mode: 't2v',
      model: 'MiniMax-Hailuo-2.3',
      prompt: 'p',
      promptOptimizer: true,
      watermark: false,
      imageSlots: [],
      duration: 6,
      resolution: '768P',
    },
    origin: {
      platform: 'discord',
      userId: 'u1',
      channelId: 'c1',
      ref: { channelId: 'c1', messageId: 'm1', messageCreatedAt: clock.now() - messageAgeMs },
    },
    createdAt: clock.now() - messageAgeMs,
    updatedAt: clock.now(),
    pollCount: 0,
    createAttempts: 0,
    ...patch,
  };
}

function eventOf(job: Job, elapsedMs: number, state: JobState = job.state): ProgressEvent {
  return { jobId: job.id, job: { ...job, state }, kind: 'poll', state, elapsedMs, at: 0 };
}

function setup(opts: { failWith?: unknown } = {}) {
  const clock = new ManualClock();
  const edits: { content: string; at: number }[] = [];
  let failNext = opts.failWith;
  const editor = {
    edit: async (_job: Job, view: MessageView) => {
      if (failNext) {
        const err = failNext;
        failNext = undefined;
        throw err;
      }
      edits.push({ content: view.content, at: clock.now() });
      return { id: 'm1' } as never;
    },
  };
  const updater = new ProgressUpdater({
    editor,
    clock,
    logger: pino({ level: 'silent' }),
    minEditGapMs: 5_000,
    oldMessageEditGapMs: 60_000,
    editCapPauseMs: 600_000,
  });
  return { clock, edits, updater };
}

describe('ProgressUpdater', () => {
  it('shows the first view at once and coalesces a burst into one later edit with the newest view', async () => {
    const { clock, edits, updater } = setup();
    for (let s = 1; s <= 4; s++) {
      updater.onEvent(eventOf(jobAt(clock), s * 1000));
      await clock.advance(1000);
    }
    await clock.advance(5000);
    expect(edits.map((e) => e.content.match(/elapsed (\S+)/)![1])).toEqual(['0:01', '0:04']);
    expect(edits[1]!.at - edits[0]!.at).toBe(5000);
  });

  it('does not edit when the view has not changed', async () => {
    const { clock, edits, updater } = setup();
    updater.onEvent(eventOf(jobAt(clock), 1000));
    await clock.advance(10_000);
    updater.onEvent(eventOf(jobAt(clock), 1400));
    await clock.advance(10_000);
    expect(edits).toHaveLength(1);
  });

  it('edits a message older than an hour at most once a minute', async () => {
    const { clock, edits, updater } = setup();
    for (let s = 0; s < 12; s++) {
      updater.onEvent(eventOf(jobAt(clock, {}, 2 * HOUR), 2 * HOUR + s * 10_000));
      await clock.advance(10_000);
    }
    expect(edits.map((e) => e.at - edits[0]!.at)).toEqual([0, 60_000, 120_000]);
  });

  it('pauses progress edits after Discord answers 30046', async () => {
    const capped = new DiscordAPIError(
      { code: 30046, message: 'Maximum number of edits to messages older than 1 hour reached.' },
      30046,
      400,
      'PATCH',
      '/x',
      { body: undefined, files: undefined },
    );
    const { clock, edits, updater } = setup({ failWith: capped });
    updater.onEvent(eventOf(jobAt(clock), 1000));
    await clock.advance(1);
    updater.onEvent(eventOf(jobAt(clock), 2000));
    await clock.advance(5 * 60_000);
    expect(edits).toHaveLength(0);
    await clock.advance(5 * 60_000);
    expect(edits).toHaveLength(1);
  });

  it('stops progress edits for good once the message is gone', async () => {
    const gone = new DiscordAPIError(
      { code: 10008, message: 'Unknown Message' },
      10008,
      404,
      'PATCH',
      '/x',
      { body: undefined, files: undefined },
    );
    const { clock, edits, updater } = setup({ failWith: gone });
    updater.onEvent(eventOf(jobAt(clock), 1000));
    await clock.advance(1);
    for (let s = 2; s < 10; s++) {
      updater.onEvent(eventOf(jobAt(clock), s * 1000));
      await clock.advance(60_000);
    }
    expect(edits).toHaveLength(0);
  });

  it('never goes back to an older state after a newer one was shown', async () => {
    const { clock, edits, updater } = setup();
    const newer = jobAt(clock, { minimaxStatus: 'Processing' });
    updater.onEvent(eventOf(newer, 1000));
    await clock.advance(1);
    updater.onEvent(
      eventOf({ ...newer, updatedAt: newer.updatedAt - 10, state: 'queued' }, 0, 'queued'),
    );
    await clock.advance(10_000);
    expect(edits.map((e) => e.content.split(' ·')[0])).toEqual(['⏳ **Rendering**']);
  });

  it('shows the end of a failed job and nothing after it', async () => {
    const { clock, edits, updater } = setup();
    updater.onEvent(eventOf(jobAt(clock), 1000));
    await clock.advance(1);
    const failed = jobAt(clock, {
      state: 'failed',
      error: { code: 'x', userMessage: 'MiniMax balance is empty.' },
    });
    updater.onEvent(eventOf(failed, 2000, 'failed'));
    updater.onEvent(eventOf(jobAt(clock), 3000));
    await clock.advance(60_000);
    expect(edits.map((e) => e.content.split('\n').slice(0, 2).join(' | '))).toEqual([
      expect.stringMatching(/^⏳/),
      '❌ **The video could not be made.** | MiniMax balance is empty.',
    ]);
  });
});
