import type { Clock } from '../clock.js';

/**
 * The account-wide cap on status queries (MINIMAX_QPS): task queries and file retrievals take one
 * slot each, so many jobs in flight share one budget instead of each polling at its own pace.
 */
export interface QueryGate {
  /** Waits for a free slot, then takes it. Rejects with the signal's reason when aborted. */
  acquire(signal?: AbortSignal): Promise<void>;
}

/** A sliding window of query slots, in memory or in Redis. */
export interface QueryWindow {
  /** Takes one slot if the window has room and answers 0; otherwise how long to wait (ms). */
  take(): Promise<number>;
}

/** Limit and window of MINIMAX_QPS: below 1 per second, one query per `1 / qps` s. */
export function queryWindowOf(perSecond: number): { limit: number; windowMs: number } {
  return {
    limit: Math.max(1, Math.floor(perSecond)),
    windowMs: perSecond >= 1 ? 1_000 : Math.ceil(1_000 / perSecond),
  };
}

/** In-memory sliding-window log: never more than `limit` takes in any `windowMs`. */
export class MemoryQueryWindow implements QueryWindow {
  private readonly taken: number[] = [];
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(
    perSecond: number,
    private readonly clock: Clock,
  ) {
    ({ limit: this.limit, windowMs: this.windowMs } = queryWindowOf(perSecond));
  }

  async take(): Promise<number> {
    const now = this.clock.now();
    while (this.taken.length > 0 && this.taken[0]! <= now - this.windowMs) this.taken.shift();
    if (this.taken.length < this.limit) {
      this.taken.push(now);
      return 0;
    }
    return Math.max(1, Math.ceil(this.taken[0]! + this.windowMs - now));
  }
}

interface Waiter {
  resolve: () => void;
  signal: AbortSignal | undefined;
}

export interface FifoQueryGateOptions {
  window: QueryWindow;
  clock: Clock;
  /** Called when the window could not be reached (Redis down); the gate retries after `retryMs`. */
  onError?: (err: unknown) => void;
  /** Wait after a failed take, in ms. Default 1_000. */
  retryMs?: number;
}

/**
 * Hands out the window's slots first come, first served, so with 1,000 jobs polling no job is
 * starved by luckier ones racing for each freed slot. One pump per process asks the window;
 * the window itself (Redis) is what instances share.
 */
export class FifoQueryGate implements QueryGate {
  private readonly waiters: Waiter[] = [];
  private pumping = false;

  constructor(private readonly options: FifoQueryGateOptions) {}

  acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        signal,
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      if (!this.pumping) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        let waitMs: number;
        try {
          waitMs = await this.options.window.take();
        } catch (err) {
          this.options.onError?.(err);
          waitMs = this.options.retryMs ?? 1_000;
        }
        if (waitMs > 0) {
          await this.options.clock.sleep(waitMs);
          continue;
        }
        // A waiter aborted while the slot was being taken leaves it to the next one.
        this.waiters.shift()?.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** The in-process query gate of MINIMAX_QPS. */
export function createMemoryQueryGate(perSecond: number, clock: Clock): QueryGate {
  return new FifoQueryGate({ window: new MemoryQueryWindow(perSecond, clock), clock });
}
