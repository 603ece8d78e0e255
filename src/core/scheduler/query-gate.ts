import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CreateWindowGate, type GateWindow } from './rate-gate.js';
import type { RateGate } from './task-scheduler.js';

/**
 * The account-wide cap on status queries (MINIMAX_QPS): task queries and file retrievals each
 * take a slot, so many jobs in flight share one budget instead of each polling at its own pace.
 */
export interface QueryGate {
  /**
   * Waits for a slot, then runs `call` under it. Like a create, the query counts from before it
   * is sent until a window after its answer, so the cap holds where MiniMax counts, at arrival.
   * Rejects with the signal's reason when aborted while waiting.
   */
  send<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T>;
}

/** Limit and window of MINIMAX_QPS: below 1 per second, one query per `1 / qps` s. */
export function queryWindowOf(perSecond: number): GateWindow {
  return {
    limit: Math.max(1, Math.floor(perSecond)),
    windowMs: perSecond >= 1 ? 1_000 : Math.ceil(1_000 / perSecond),
  };
}

/** Longest a status query can take; a slot of a crashed instance lapses after this plus a window. */
export const MAX_QUERY_MS = 60_000;

interface Waiter {
  key: string;
  resolve: () => void;
}

export interface FifoQueryGateOptions {
  /** The reservations behind the cap: in memory, or in Redis for every instance. */
  window: RateGate;
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

  async send<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    const key = await this.acquire(signal);
    try {
      return await call();
    } finally {
      await this.options.window
        .settle(key, this.options.clock.now())
        .catch((err: unknown) => this.options.onError?.(err));
    }
  }

  private acquire(signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = {
        key: randomUUID(),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(waiter.key);
        },
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
      for (let head = this.waiters[0]; head; head = this.waiters[0]) {
        let waitMs: number;
        try {
          waitMs = await this.options.window.tryAcquire(head.key);
        } catch (err) {
          this.options.onError?.(err);
          waitMs = this.options.retryMs ?? 1_000;
        }
        if (waitMs > 0) {
          await this.options.clock.sleep(waitMs);
          continue;
        }
        if (this.waiters[0] === head) this.waiters.shift()!.resolve();
        // The waiter gave up while its slot was being taken: give the slot back.
        else await this.options.window.release(head.key).catch(() => undefined);
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** The in-process query gate of MINIMAX_QPS. */
export function createMemoryQueryGate(perSecond: number, clock: Clock): QueryGate {
  const window = new CreateWindowGate({
    perMinute: perSecond * 60,
    window: queryWindowOf(perSecond),
    clock,
    maxCreateMs: MAX_QUERY_MS,
  });
  return new FifoQueryGate({ window, clock });
}
