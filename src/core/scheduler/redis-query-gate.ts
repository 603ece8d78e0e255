import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { FifoQueryGate, type QueryGate, type QueryWindow, queryWindowOf } from './query-gate.js';

// Check-and-take in one step for every instance; the caller's clock drives the window (tests).
// KEYS: window. ARGV: now, windowMs, limit, member.
const TAKE = `
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], windowMs)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, math.ceil(tonumber(oldest[2]) + windowMs - now))
`;

export interface RedisQueryWindowOptions {
  redis: Redis;
  /** MINIMAX_QPS: status queries per second for the whole account; may be fractional. */
  perSecond: number;
  clock: Clock;
  /** Key prefix shared by every instance of one bot. Default `mvb`. */
  namespace?: string;
}

/** The MINIMAX_QPS window in one Redis sorted set, shared by every instance. */
export class RedisQueryWindow implements QueryWindow {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly key: string;

  constructor(private readonly options: RedisQueryWindowOptions) {
    ({ limit: this.limit, windowMs: this.windowMs } = queryWindowOf(options.perSecond));
    this.key = `${options.namespace ?? 'mvb'}:gate:queries`;
  }

  async take(): Promise<number> {
    const now = this.options.clock.now();
    const waitMs = await this.options.redis.eval(
      TAKE,
      1,
      this.key,
      now,
      this.windowMs,
      this.limit,
      `${now}:${randomUUID()}`,
    );
    return Number(waitMs);
  }
}

/** The account-wide query gate across instances: a local FIFO in front of the Redis window. */
export function createRedisQueryGate(
  options: RedisQueryWindowOptions & { logger: Logger },
): QueryGate {
  const logger = options.logger.child({ component: 'query-gate' });
  return new FifoQueryGate({
    window: new RedisQueryWindow(options),
    clock: options.clock,
    onError: (err) => logger.warn({ err }, 'could not reach the shared query window; waiting'),
  });
}
