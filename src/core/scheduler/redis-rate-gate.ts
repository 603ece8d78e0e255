import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { RateGate } from './task-scheduler.js';

export interface RedisRateGateOptions {
  redis: Redis;
  /** Creates allowed per minute (MINIMAX_RPM); may be fractional, e.g. 0.5 = one per 2 min. */
  perMinute: number;
  clock: Clock;
  logger: Logger;
  /** Prefix of the gate's two keys; every instance of one bot must use the same. Default `mvb`. */
  namespace?: string;
}

// Check-and-take must be one step for every instance at once, so it runs inside Redis. The caller
// passes its clock's time (not Redis TIME) so a fake clock drives the window in tests; instances
// on NTP disagree by milliseconds, far below the 60 s window.
const TAKE = `
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < paused then return paused - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], windowMs)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, math.ceil(tonumber(oldest[2]) + windowMs - now))
`;

// Only ever moves the pause forward: two instances hitting 1002 must not shorten each other's.
const PAUSE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 0
`;

/**
 * The create gate of MINIMAX_RPM shared by every instance on one Redis: a sliding-window log in a
 * sorted set (one member per create, scored by its time), so no 60 s window holds more than
 * `floor(perMinute)` creates across all instances, and a 1002 pause seen by one instance holds
 * them all. Same rules as the in-memory SlidingWindowGate.
 */
export class RedisRateGate implements RateGate {
  private readonly redis: Redis;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly windowKey: string;
  private readonly pauseKey: string;
  /** The newest pause this instance knows of, so it holds even before Redis has heard of it. */
  private pausedUntil = 0;

  constructor(options: RedisRateGateOptions) {
    this.redis = options.redis;
    this.clock = options.clock;
    this.logger = options.logger.child({ component: 'rate-gate' });
    this.limit = Math.max(1, Math.floor(options.perMinute));
    this.windowMs = options.perMinute >= 1 ? 60_000 : Math.ceil(60_000 / options.perMinute);
    const ns = options.namespace ?? 'mvb';
    this.windowKey = `${ns}:gate:creates`;
    this.pauseKey = `${ns}:gate:paused-until`;
  }

  async tryAcquire(): Promise<number> {
    const now = this.clock.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    const member = `${now}:${randomUUID()}`;
    const waitMs = await this.redis.eval(
      TAKE,
      2,
      this.windowKey,
      this.pauseKey,
      now,
      this.windowMs,
      this.limit,
      member,
    );
    return Number(waitMs);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = await this.tryAcquire();
      if (waitMs === 0) return;
      // Exact: a window slot frees only when its oldest create ages out, and pauses only grow.
      await this.clock.sleep(waitMs, signal);
    }
  }

  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
    const ttlMs = Math.max(1, Math.ceil(untilMs - this.clock.now()) + 1_000);
    this.redis
      .eval(PAUSE, 1, this.pauseKey, Math.ceil(untilMs), ttlMs)
      .catch((err: unknown) => this.logger.warn({ err }, 'could not share the create pause'));
  }
}
