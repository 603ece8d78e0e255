import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { FifoQueryGate, MAX_QUERY_MS, type QueryGate, queryWindowOf } from './query-gate.js';
import { RedisRateGate } from './redis-rate-gate.js';

export interface RedisQueryGateOptions {
  redis: Redis;
  /** MINIMAX_QPS: status queries per second for the whole account; may be fractional. */
  perSecond: number;
  clock: Clock;
  logger: Logger;
  /** Key prefix shared by every instance of one bot. Default `mvb`. */
  namespace?: string;
}

/**
 * The account-wide query gate across instances: a local FIFO in front of query reservations in
 * Redis (the create gate's script with a one-second window), so every instance draws on one cap.
 */
export function createRedisQueryGate(options: RedisQueryGateOptions): QueryGate {
  const logger = options.logger.child({ component: 'query-gate' });
  const window = new RedisRateGate({
    redis: options.redis,
    perMinute: options.perSecond * 60,
    window: queryWindowOf(options.perSecond),
    name: 'queries',
    clock: options.clock,
    logger: options.logger,
    maxCreateMs: MAX_QUERY_MS,
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
  return new FifoQueryGate({
    window,
    clock: options.clock,
    onError: (err) => logger.warn({ err }, 'could not reach the shared query window; waiting'),
  });
}
