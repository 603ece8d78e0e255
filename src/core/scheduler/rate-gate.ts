import type { Clock } from '../clock.js';
import type { RateGate } from './task-scheduler.js';

export interface SlidingWindowGateOptions {
  /** Creates allowed per minute (MINIMAX_RPM); may be fractional, e.g. 0.5 = one per 2 min. */
  perMinute: number;
  clock: Clock;
}

/**
 * In-memory sliding-window log: never more than `floor(perMinute)` takes in any 60 s window
 * (below 1 per minute: one take per `60 / perMinute` s). MiniMax counts per account and minute,
 * so a burst is allowed as long as the window holds it.
 */
export class SlidingWindowGate implements RateGate {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly clock: Clock;
  private readonly taken: number[] = [];
  private pausedUntil = 0;

  constructor(options: SlidingWindowGateOptions) {
    this.clock = options.clock;
    this.limit = Math.max(1, Math.floor(options.perMinute));
    this.windowMs = options.perMinute >= 1 ? 60_000 : Math.ceil(60_000 / options.perMinute);
  }

  async tryAcquire(): Promise<number> {
    return this.take();
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = this.take();
      if (waitMs === 0) return;
      await this.clock.sleep(waitMs, signal);
    }
  }

  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  /** Synchronous core, so checking and taking cannot interleave with another caller. */
  private take(): number {
    const now = this.clock.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    while (this.taken.length > 0 && this.taken[0]! <= now - this.windowMs) this.taken.shift();
    if (this.taken.length < this.limit) {
      this.taken.push(now);
      return 0;
    }
    return Math.max(1, this.taken[0]! + this.windowMs - now);
  }
}
