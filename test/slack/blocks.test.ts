import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/jobs/job.js';
import { formatDuration, progressBar, renderStatus } from '../../src/slack/blocks.js';

const job = (patch: Partial<Job> = {}): Job => ({
  id: 'j1',
  state: 'generating',
  request: {
    mode: 't2v',
    model: 'MiniMax-Hailuo-2.3',
    prompt: 'a <b> & c',
    duration: 6,
    resolution: '768P',
    camera: 'Pan left',
    promptOptimizer: true,
    watermark: false,
    imageSlots: [],
  },
  origin: { platform: 'slack', userId: 'U1', channelId: 'C1', ref: {} },
  createdAt: 0,
  updatedAt: 0,
  pollCount: 0,
  createAttempts: 0,
  ...patch,
});

const texts = (r: ReturnType<typeof renderStatus>) => JSON.stringify(r.blocks);

describe('renderStatus', () => {
  it('shows the queue position while queued, with a Cancel button', () => {
    const r = renderStatus(job({ state: 'queued' }), { elapsedMs: 5_000, queuePosition: 3 });
    expect(texts(r)).toContain('number 3 in line');
    expect(texts(r)).toContain('video_cancel');
    expect(texts(r)).not.toContain('video_regenerate');
  });

  it('shows elapsed time, a bar and the time left while rendering', () => {
    const r = renderStatus(job(), {
      elapsedMs: 65_000,
      fraction: 0.5,
      estimatedRemainingMs: 60_000,
    });
    expect(texts(r)).toContain('1:05 elapsed');
    expect(texts(r)).toContain(progressBar(0.5));
    expect(texts(r)).toContain('about 1:00 left');
  });

  it('escapes the prompt and shows the settings used', () => {
    const r = renderStatus(job(), { elapsedMs: 0 });
    expect(texts(r)).toContain('a &lt;b&gt; &amp; c');
    expect(texts(r)).toContain('MiniMax-Hailuo-2.3 · 768P · 6 s · [Pan left]');
  });

  it('links the video and offers Regenerate when done', () => {
    const r = renderStatus(job({ state: 'done', resultUrl: 'https://x/f' }), { elapsedMs: 90_000 });
    expect(texts(r)).toContain('<https://x/f|watch the video>');
    expect(texts(r)).toContain('video_regenerate');
    expect(texts(r)).not.toContain('video_cancel');
    expect(r.text).toBe('Video: Done in 1:30: watch the video in the thread');
  });

  it('shows the plain failure message', () => {
    const r = renderStatus(
      job({ state: 'failed', error: { code: 'x', userMessage: 'MiniMax balance is empty.' } }),
      { elapsedMs: 0 },
    );
    expect(texts(r)).toContain('*Failed*: MiniMax balance is empty.');
  });
});

describe('formatDuration and progressBar', () => {
  it('formats minutes and hours', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(61_000)).toBe('1:01');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });

  it('clamps the bar to 0..100%', () => {
    expect(progressBar(-1)).toMatch(/ 0%$/);
    expect(progressBar(2)).toMatch(/ 100%$/);
  });
});
