import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Startable } from './lifecycle.js';

export type LeaderListener = (isLeader: boolean) => void;

/**
 * Who runs a one-per-bot part, such as the Discord gateway connection: with several instances
 * only the holder does; the others deliver through REST. `onChange` fires on every gain or loss.
 */
export interface LeaderLock extends Startable {
  isLeader(): boolean;
  /** Returns an unsubscribe function. */
  onChange(listener: LeaderListener): () => void;
}

export interface RedisLeaderLockOptions {
  redis: Redis;
  clock: Clock;
  logger: Logger;
  /** What is led, e.g. `discord-gateway`; part of the key. */
  name: string;
  /** Key prefix shared by every instance of one bot. Default `mvb`. */
  namespace?: string;
  /** How long the lock outlives a holder that stopped renewing (died), in ms. Default 15 s. */
  ttlMs?: number;
}

// Renew and release only our own lock: after a pause longer than the TTL another instance may
// hold the key, and it must not be extended or deleted by us.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Leader election by one Redis key (SET NX PX, renewed every third of the TTL). A holder that
 * cannot reach Redis steps down after two missed renewals, before its key expires and anyone
 * else can win. A stopping holder releases the key at once, so a deploy hands over quickly.
 */
export class RedisLeaderLock implements LeaderLock {
  private readonly options: RedisLeaderLockOptions;
  private readonly key: string;
  private readonly token = randomUUID();
  private readonly ttlMs: number;
  private readonly listeners = new Set<LeaderListener>();
  private leader = false;
  private renewedAt = 0;
  private loop: AbortController | undefined;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(options: RedisLeaderLockOptions) {
    this.options = options;
    this.key = `${options.namespace ?? 'mvb'}:leader:${options.name}`;
    this.ttlMs = options.ttlMs ?? 15_000;
  }

  isLeader(): boolean {
    return this.leader;
  }

  onChange(listener: LeaderListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tries once (so `isLeader()` is settled when this resolves), then keeps trying/renewing. */
  async start(): Promise<void> {
    if (this.loop) return;
    this.loop = new AbortController();
    await this.tick();
    this.loopDone = this.run(this.loop.signal);
  }

  async stop(): Promise<void> {
    if (!this.loop) return;
    this.loop.abort();
    await this.loopDone;
    this.loop = undefined;
    if (this.leader) {
      await this.options.redis
        .eval(RELEASE, 1, this.key, this.token)
        .catch((err: unknown) => this.options.logger.warn({ err }, 'could not release leadership'));
      this.set(false);
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const ok = await this.options.clock.sleep(Math.floor(this.ttlMs / 3), signal).then(
        () => true,
        () => false,
      );
      if (ok) await this.tick();
    }
  }

  private async tick(): Promise<void> {
    const { redis, clock, logger } = this.options;
    const now = clock.now();
    try {
      if (this.leader) {
        const renewed = await redis.eval(RENEW, 1, this.key, this.token, this.ttlMs);
        if (Number(renewed) === 1) this.renewedAt = now;
        else this.set(false);
      } else {
        const won = await redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX');
        if (won === 'OK') {
          this.renewedAt = now;
          this.set(true);
        }
      }
    } catch (err) {
      logger.warn({ err, lock: this.key }, 'leader lock check failed');
      // Two missed renewals: step down while the key (TTL from the last renewal) still blocks others.
      if (this.leader && clock.now() - this.renewedAt >= this.ttlMs / 2) this.set(false);
    }
  }

  private set(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    this.options.logger.info(
      { lock: this.key, leader },
      leader ? 'became leader' : 'lost leadership',
    );
    for (const listener of this.listeners) {
      try {
        listener(leader);
      } catch (err) {
        this.options.logger.warn({ err }, 'leader listener threw');
      }
    }
  }
}

/** The single-instance case: always the leader. */
export class SoleLeader implements LeaderLock {
  isLeader(): boolean {
    return true;
  }
  onChange(): () => void {
    return () => {};
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}
