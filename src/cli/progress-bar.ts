import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../core/progress.js';

export interface ProgressReporter {
  update(event: ProgressEvent): void;
  /** Called about once a second between events, so the elapsed time keeps moving. */
  tick(): void;
  stop(): void;
}

/**
 * Shows one job's progress: a bar with state, queue position, elapsed time and ETA on a
 * terminal; one line per visible change otherwise (logs, CI, tests), so nothing is overwritten.
 */
export function createProgressReporter(stream: Writable & { isTTY?: boolean }): ProgressReporter {
  return stream.isTTY ? barReporter(stream) : lineReporter(stream);
}

function barReporter(stream: Writable): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {percentage}% | {status} | elapsed {elapsed} | ETA {eta_text}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let last: { event: ProgressEvent; at: number } | undefined;
  const render = (event: ProgressEvent, sinceMs: number) => {
    const value = event.state === 'done' ? 100 : Math.round(Math.min(1, event.fraction ?? 0) * 100);
    const remaining = event.estimatedRemainingMs;
    const payload = {
      status: statusText(event),
      elapsed: formatDuration(event.elapsedMs + sinceMs),
      eta_text:
        event.state === 'done' || remaining === undefined
          ? etaText(event)
          : formatDuration(Math.max(0, remaining - sinceMs)),
    };
    if (!started) {
      bar.start(100, value, payload);
      started = true;
    } else bar.update(value, payload);
  };
  return {
    update(event) {
      last = { event, at: performance.now() };
      render(event, 0);
    },
    tick() {
      if (last && started) render(last.event, performance.now() - last.at);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function lineReporter(stream: Writable): ProgressReporter {
  let last = '';
  return {
    update(event) {
      const status = statusText(event);
      if (status === last) return;
      last = status;
      const eta = event.estimatedRemainingMs === undefined ? '' : `, ETA ${etaText(event)}`;
      stream.write(`${status} (elapsed ${formatDuration(event.elapsedMs)}${eta})\n`);
    },
    tick() {},
    stop() {},
  };
}

/** "queued, position 2", "generating: Processing", "downloading". */
export function statusText(event: ProgressEvent): string {
  if (event.state === 'queued' && event.queuePosition !== undefined)
    return `queued, position ${event.queuePosition}`;
  if (event.state === 'generating' && event.job.minimaxStatus)
    return `generating: ${event.job.minimaxStatus}`;
  return event.state;
}

function etaText(event: ProgressEvent): string {
  if (event.state === 'done') return '0s';
  return event.estimatedRemainingMs === undefined
    ? '-'
    : formatDuration(event.estimatedRemainingMs);
}

/** 42s, 3m 05s, 1h 02m. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
