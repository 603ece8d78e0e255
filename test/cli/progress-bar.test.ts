import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatDuration, statusText } from '../../src/cli/progress-bar.js';
import type { Job, JobState } from '../../src/core/jobs/job.js';
import type { ProgressEvent } from '../../src/core/progress.js';

function event(state: JobState, extra: Partial<ProgressEvent> = {}, job: Partial<Job> = {}) {
  return {
    jobId: 'job1',
    job: { id: 'job1', state, ...job } as Job,
    kind: 'state',
    state,
    elapsedMs: 12_000,
    at: 0,
    ...extra,
  } satisfies ProgressEvent;
}

function sink(): Writable & { text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

describe('progress reporting', () => {
  it('names the queue position while queued and the MiniMax status while generating', () => {
    expect(statusText(event('queued', { queuePosition: 3 }))).toBe('queued, position 3');
    expect(statusText(event('generating', {}, { minimaxStatus: 'Processing' }))).toBe(
      'generating: Processing',
    );
    expect(statusText(event('downloading'))).toBe('downloading');
  });

  it('formats durations as seconds, minutes and hours', () => {
    expect(formatDuration(42_400)).toBe('42s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
  });

  it('writes one line per visible change when the output is not a terminal', () => {
    const out = sink();
    const reporter = createProgressReporter(out);
    reporter.update(event('queued', { queuePosition: 1, estimatedRemainingMs: 90_000 }));
    reporter.update(event('queued', { queuePosition: 1, kind: 'poll' }));
    reporter.update(event('generating', {}, { minimaxStatus: 'Processing' }));
    reporter.stop();
    expect(out.text()).toBe(
      'queued, position 1 (elapsed 12s, ETA 1m 30s)\ngenerating: Processing (elapsed 12s)\n',
    );
  });
});
