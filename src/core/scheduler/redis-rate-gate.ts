import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { createWindowOf, DEFAULT_MAX_CREATE_MS, type GateWindow } from './rate-gate.js';
import type { RateGate } from './task-scheduler.js';

export interface RedisRateGateOptions {
  redis: Redis;
  /** Creates allowed per minute (MINIMAX_RPM); may be fractional, e.g. 0.5 = one per 2 min. */
  perMinute: number;
  /** Overrides `perMinute` with another window (the query gate's is one second). */
  window?: GateWindow;
  /** What is counted, part of the keys. Default `creates`. */
  name?: string;
  clock: Clock;
  logger: Logger;
  /** Prefix of the gate's keys; every instance of one bot must use the same. Default `mvb`. */
  namespace?: string;
  /** Longest a create can take from reservation to answer (ms, default 120 s); see CreateWindowGate. */
  maxCreateMs?: number;
}

// Check-and-reserve must be one step for every instance at once, so it runs inside Redis. Both
// sorted sets are scored by when the member stops counting. The caller passes its clock's time
// (not Redis TIME) so a fake clock drives the window in tests; instances on NTP disagree by
// milliseconds, far below the 60 s window.
// KEYS: pending, settled, paused-until. ARGV: now, windowMs, limit, member, leaseEnd, ttlMs.
const ACQUIRE = `
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
if now < paused then return paused - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local pending = redis.call('ZCARD', KEYS[1])
local held = redis.call('ZSCORE', KEYS[1], ARGV[4])
if held or pending + redis.call('ZCARD', KEYS[2]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[5], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  return 0
end
local soonest = math.huge
if pending > 0 then soonest = now + windowMs end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if first[2] then soonest = math.min(soonest, tonumber(first[2])) end
return math.max(1, math.ceil(soonest - now))
`;

// KEYS: pending, settled. ARGV: member, end, answer id, ttlMs.
const SETTLE = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 0
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
 * The create gate of MINIMAX_RPM shared by every instance on one Redis, with the same rules as the
 * in-process CreateWindowGate: a reservation per create from before it is sent until a window
 * after its answer, counted across all instances, and a 1002 pause seen by one holds them all.
 * Reservations are per instance (a takeover reserves anew rather than reuse a dead one's).
 */
export class RedisRateGate implements RateGate {
  private readonly redis: Redis;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly leaseMs: number;
  private readonly pendingKey: string;
  private readonly settledKey: string;
  private readonly pauseKey: string;
  private readonly instanceId = randomUUID();
  /** The newest pause this instance knows of, so it holds even before Redis has heard of it. */
  private pausedUntil = 0;

  constructor(options: RedisRateGateOptions) {
    this.redis = options.redis;
    this.clock = options.clock;
    this.logger = options.logger.child({ component: 'rate-gate' });
    ({ limit: this.limit, windowMs: this.windowMs } =
      options.window ?? createWindowOf(options.perMinute));
    this.leaseMs = (options.maxCreateMs ?? DEFAULT_MAX_CREATE_MS) + this.windowMs;
    const ns = options.namespace ?? 'mvb';
    const name = options.name ?? 'creates';
    this.pendingKey = `${ns}:gate:${name}-pending`;
    this.settledKey = `${ns}:gate:${name}-answered`;
    this.pauseKey = `${ns}:gate:${name}-paused-until`;
  }

  async tryAcquire(key: string): Promise<number> {
    const now = this.clock.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    const waitMs = await this.redis.eval(
      ACQUIRE,
      3,
      this.pendingKey,
      this.settledKey,
      this.pauseKey,
      now,
      this.windowMs,
      this.limit,
      this.memberOf(key),
      now + this.leaseMs,
      this.leaseMs,
    );
    return Number(waitMs);
  }

  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = await this.tryAcquire(key);
      if (waitMs === 0) return;
      await this.clock.sleep(waitMs, signal);
    }
  }

  async settle(key: string, answeredAt: number): Promise<void> {
    await this.redis.eval(
      SETTLE,
      2,
      this.pendingKey,
      this.settledKey,
      this.memberOf(key),
      answeredAt + this.windowMs,
      randomUUID(),
      this.leaseMs,
    );
  }

  async release(key: string): Promise<void> {
    await this.redis.zrem(this.pendingKey, this.memberOf(key));
  }

  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
    const ttlMs = Math.max(1, Math.ceil(untilMs - this.clock.now()) + 1_000);
    this.redis
      .eval(PAUSE, 1, this.pauseKey, Math.ceil(untilMs), ttlMs)
      .catch((err: unknown) => this.logger.warn({ err }, 'could not share the create pause'));
  }

  private memberOf(key: string): string {
    return `${this.instanceId}:${key}`;
  }
}
