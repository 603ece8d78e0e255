import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/jobs/job.js';
import type { ProgressEvent } from '../../src/core/progress.js';
import {
  buttonId,
  parseButtonId,
  renderDone,
  renderEnded,
  renderProgress,
} from '../../src/discord/progress-message.js';
import { scrubText } from '../../src/discord/scrub.js';
import { triggerOf } from '../../src/discord/triggers.js';

const job = (patch: Partial<Job> = {}, locale = 'en'): Job => ({
  id: 'AbC_d-123',
  state: 'queued',
  request: {
    mode: 't2v',
    model: 'MiniMax-Hailuo-2.3',
    prompt: 'a cat surfing [Pan left]',
    camera: 'Pan left',
    promptOptimizer: true,
    watermark: false,
    imageSlots: [],
    duration: 6,
    resolution: '768P',
  },
  origin: { platform: 'discord', userId: '42', channelId: 'c', locale, ref: {} },
  createdAt: 1_000,
  updatedAt: 1_000,
  pollCount: 0,
  createAttempts: 0,
  ...patch,
});

const event = (j: Job, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({
  jobId: j.id,
  job: j,
  kind: 'state',
  state: j.state,
  elapsedMs: 83_400,
  at: 0,
  ...extra,
});

describe('Discord progress rendering', () => {
  it('shows the queue position, elapsed time and a remaining-time bar while queued', () => {
    const view = renderProgress(
      event(job(), { queuePosition: 3, fraction: 0.25, estimatedRemainingMs: 61_000 }),
    );
    expect(view.content.split('\n').slice(0, 3)).toEqual([
      '⏳ **Queued** · position 3 in line · elapsed 1:23',
      '`███░░░░░░░░░` 25 % · about 1:05 left',
      'MiniMax-Hailuo-2.3 · 768P · 6 s · [Pan left]',
    ]);
    expect(JSON.stringify(view.components)).toContain('"custom_id":"video:cancel:AbC_d-123:42"');
  });

  it('names the MiniMax phase while generating', () => {
    const view = renderProgress(event(job({ state: 'generating', minimaxStatus: 'Queueing' })));
    expect(view.content).toMatch(/^⏳ \*\*Waiting at MiniMax\*\*/);
  });

  it('speaks Simplified Chinese to zh users', () => {
    const view = renderProgress(event(job({}, 'zh'), { queuePosition: 2 }));
    expect(view.content).toMatch(/^⏳ \*\*排队中\*\* · 第 2 位 · 已用 1:23/);
    expect(JSON.stringify(view.components)).toContain('"label":"取消"');
  });

  it('offers Regenerate and Variations on the finished message', () => {
    const view = renderDone(job({ state: 'done', finishedAt: 91_000 }));
    expect(view.content.split('\n')[0]).toBe('✅ **Your video is ready** · took 1:30');
    const ids = JSON.stringify(view.components).match(/video:[a-z]+:[^"]+/g);
    expect(ids).toEqual(['video:regen:AbC_d-123', 'video:vary:AbC_d-123']);
  });

  it('shows the core sentence when a job failed', () => {
    const view = renderEnded(
      job({ state: 'failed', error: { code: 'x', userMessage: 'MiniMax balance is empty.' } }),
    );
    expect(view.content.split('\n').slice(0, 2)).toEqual([
      '❌ **The video could not be made.**',
      'MiniMax balance is empty.',
    ]);
  });

  it('round-trips button ids and ignores foreign ones', () => {
    expect(parseButtonId(buttonId('cancel', 'j1', 'u9'))).toEqual({
      action: 'cancel',
      jobId: 'j1',
      requesterId: 'u9',
    });
    expect(parseButtonId('other:cancel:j1')).toBeUndefined();
    expect(parseButtonId('video:explode:j1')).toBeUndefined();
  });

  it('removes interaction tokens from URLs before they are logged', () => {
    expect(
      scrubText('PATCH https://x/api/v10/webhooks/123/aW50ZXJhY3Rpb24/messages/@original'),
    ).toBe('PATCH https://x/api/v10/webhooks/123/***/messages/@original');
    expect(scrubText('/interactions/9/tok.en/callback?with_response=true')).toBe(
      '/interactions/9/***/callback?with_response=true',
    );
  });
});

describe('message triggers', () => {
  const users = (ids: string[]) => ({ users: new Map(ids.map((id) => [id, {}])) });
  const msg = (
    content: string,
    opts: { mentions?: string[]; reply?: boolean; dm?: boolean } = {},
  ) =>
    ({
      author: { bot: false },
      content,
      mentions: users(opts.mentions ?? []),
      reference: opts.reply ? { messageId: '1' } : null,
      guildId: opts.dm ? null : 'g',
    }) as unknown as Parameters<typeof triggerOf>[0];

  it('answers mentions, pinged replies and direct messages only', () => {
    expect(triggerOf(msg('<@77> go', { mentions: ['77'] }), '77')).toBe('mention');
    expect(triggerOf(msg('go', { mentions: ['77'], reply: true }), '77')).toBe('reply');
    expect(triggerOf(msg('go', { reply: true }), '77')).toBeUndefined();
    expect(triggerOf(msg('<@78> go', { mentions: ['78'] }), '77')).toBeUndefined();
    expect(triggerOf(msg('go', { dm: true }), '77')).toBe('mention');
  });
});
