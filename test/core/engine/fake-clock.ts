import type { Clock } from '../../../src/core/clock.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** A Clock whose time moves only when the test says so. */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.resolve();
      await settle();
    }
    this.time = target;
    await settle();
  }

  /** When the earliest pending timer fires, if any. */
  nextTimerAt(): number | undefined {
    return this.timers.reduce<number | undefined>(
      (a, t) => (a === undefined || t.at < a ? t.at : a),
      undefined,
    );
  }

  /** Jumps to the earliest pending timer (if any, and at most `maxJumpMs` away) and fires it. */
  async advanceToNext(maxJumpMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const at = this.nextTimerAt();
    if (at === undefined || at - this.time > maxJumpMs) return false;
    await this.advance(Math.max(0, at - this.time));
    return true;
  }
}

/** Lets pending promise chains (and immediate I/O callbacks) run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Runs an engine on a FakeClock against real local HTTP: whenever nothing happened for a few
 * real milliseconds, jumps to the next timer. Stops when `done()` holds.
 */
export async function driveUntil(
  clock: FakeClock,
  done: () => boolean,
  options: { maxSteps?: number; idleMs?: number; maxJumpMs?: number } = {},
): Promise<void> {
  const maxSteps = options.maxSteps ?? 5_000;
  for (let step = 0; step < maxSteps; step++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, options.idleMs ?? 3));
    if (done()) return;
    // Long timers (hourly sweeps) would skip the engine past its deadlines while an HTTP call
    // is still in flight; only jump as far as a poll or backoff could legitimately wait.
    await clock.advanceToNext(options.maxJumpMs ?? 130_000);
  }
  throw new Error('driveUntil: condition not reached');
}
