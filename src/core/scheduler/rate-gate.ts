import type { Clock } from '../clock.js';
import type { RateGate } from './task-scheduler.js';

/** Default longest time a create request may take (send to answer), in ms. */
export const DEFAULT_MAX_CREATE_MS = 120_000;

/** How many requests may count at once, and how long each counts after its answer. */
export interface GateWindow {
  limit: number;
  windowMs: number;
}

export interface CreateWindowGateOptions {
  /** Creates allowed per minute (MINIMAX_RPM); may be fractional, e.g. 0.5 = one per 2 min. */
  perMinute: number;
  /** Overrides `perMinute` with another window (the query gate's is one second). */
  window?: GateWindow;
  clock: Clock;
  /**
   * Longest a create can take from reservation to answer (ms, default 120 s); an unanswered
   * reservation (its holder crashed) counts for this plus a window, then lapses.
   */
  maxCreateMs?: number;
}

/** Limit and window of MINIMAX_RPM: below 1 per minute, one create per `60 / perMinute` s. */
export function createWindowOf(perMinute: number): GateWindow {
  return {
    limit: Math.max(1, Math.floor(perMinute)),
    windowMs: perMinute >= 1 ? 60_000 : Math.ceil(60_000 / perMinute),
  };
}

/**
 * In-process create gate with reservations: never more than `floor(perMinute)` creates counted at
 * once, where a create counts from its reservation until a window after its answer. Every create
 * arriving at MiniMax inside one window was therefore counted at the moment the last of them was
 * reserved, so no window at MiniMax's side can hold more than the limit.
 */
export class CreateWindowGate implements RateGate {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly leaseMs: number;
  private readonly clock: Clock;
  /** Unanswered reservations: key → when the lease lapses. */
  private readonly pending = new Map<string, number>();
  /** No lease lapses before this, so most takes skip the sweep (10,000 jobs at once). */
  private nextLapseAt = Number.POSITIVE_INFINITY;
  /** Answered creates: when each stops counting, ascending from `head`. */
  private settled: number[] = [];
  private head = 0;
  private pausedUntil = 0;

  constructor(options: CreateWindowGateOptions) {
    this.clock = options.clock;
    ({ limit: this.limit, windowMs: this.windowMs } =
      options.window ?? createWindowOf(options.perMinute));
    this.leaseMs = (options.maxCreateMs ?? DEFAULT_MAX_CREATE_MS) + this.windowMs;
  }

  async tryAcquire(key: string): Promise<number> {
    return this.take(key);
  }

  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = this.take(key);
      if (waitMs === 0) return;
      await this.clock.sleep(waitMs, signal);
    }
  }

  async settle(key: string, answeredAt: number): Promise<void> {
    this.pending.delete(key);
    // Answers arrive nearly in order: insert from the back to keep the list sorted cheaply.
    const end = answeredAt + this.windowMs;
    let i = this.settled.length;
    while (i > this.head && this.settled[i - 1]! > end) i--;
    this.settled.splice(i, 0, end);
  }

  async release(key: string): Promise<void> {
    this.pending.delete(key);
  }

  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  /** Synchronous core, so checking and reserving cannot interleave with another caller. */
  private take(key: string): number {
    const now = this.clock.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.dropEnded(now);
    const counted = this.settled.length - this.head + this.pending.size;
    if (this.pending.has(key) || counted < this.limit) {
      const lapseAt = now + this.leaseMs;
      this.pending.set(key, lapseAt);
      this.nextLapseAt = Math.min(this.nextLapseAt, lapseAt);
      return 0;
    }
    // An unanswered create frees its place a window after its answer, so not before a window.
    const firstEnd = this.head < this.settled.length ? this.settled[this.head]! : Infinity;
    const soonest = Math.min(firstEnd, this.pending.size > 0 ? now + this.windowMs : Infinity);
    return Math.max(1, Math.ceil(soonest - now));
  }

  private dropEnded(now: number): void {
    while (this.head < this.settled.length && this.settled[this.head]! <= now) this.head++;
    if (this.head > 1_024 && this.head * 2 > this.settled.length) {
      this.settled = this.settled.slice(this.head);
      this.head = 0;
    }
    if (now < this.nextLapseAt) return;
    this.nextLapseAt = Number.POSITIVE_INFINITY;
    for (const [k, lapseAt] of this.pending) {
      if (lapseAt <= now) this.pending.delete(k);
      else this.nextLapseAt = Math.min(this.nextLapseAt, lapseAt);
    }
  }
}
