import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import type { Logger } from 'pino';
import type { StoreBackend } from './store-backend.js';

type RedisClient = ReturnType<typeof createClient>;

/**
 * Redis through keyv for records, plus the raw client for what keyv lacks: sets, sorted sets and
 * SET NX PX (so two instances can never both win `remember`). Raw keys share keyv's prefix
 * (`<namespace>::`) so one namespace can be inspected or deleted as a whole.
 */
export class RedisBackend implements StoreBackend {
  private constructor(
    readonly keyv: Keyv,
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  static async connect(url: string, namespace: string, logger: Logger): Promise<RedisBackend> {
    let everConnected = false;
    const client: RedisClient = createClient({
      url,
      socket: {
        connectTimeout: 5_000,
        // Fail fast at start (one clear error) but ride out outages once running.
        reconnectStrategy: (retries: number, cause: Error) =>
          !everConnected && retries >= 2 ? cause : Math.min(100 * 2 ** retries, 2_000),
      },
    });
    client.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error'));
    await client.connect();
    everConnected = true;
    const adapter = new KeyvRedis<unknown>(client, { namespace, throwOnErrors: true });
    const keyv = new Keyv({ store: adapter, namespace, useKeyPrefix: false, throwOnErrors: true });
    keyv.on('error', (err: unknown) => logger.debug({ err }, 'keyv redis error'));
    return new RedisBackend(keyv, client, `${namespace}::`);
  }

  async setAdd(set: string, member: string): Promise<void> {
    await this.client.sAdd(this.key(`set:${set}`), member);
  }

  async setRemove(set: string, member: string): Promise<void> {
    await this.client.sRem(this.key(`set:${set}`), member);
  }

  setMembers(set: string): Promise<string[]> {
    return this.client.sMembers(this.key(`set:${set}`));
  }

  async rankAdd(list: string, member: string, score: number, keep: number): Promise<void> {
    const key = this.key(`rank:${list}`);
    await this.client
      .multi()
      .zAdd(key, { score, value: member })
      // Drop everything below the `keep` highest scores.
      .zRemRangeByRank(key, 0, -keep - 1)
      .exec();
  }

  rankTop(list: string, limit: number): Promise<string[]> {
    if (limit <= 0) return Promise.resolve([]);
    return this.client.zRange(this.key(`rank:${list}`), 0, limit - 1, { REV: true });
  }

  async addIfAbsent(key: string, ttlMs: number): Promise<boolean> {
    const reply = await this.client.set(this.key(`seen:${key}`), '1', {
      condition: 'NX',
      expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) },
    });
    return reply === 'OK';
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }

  private key(k: string): string {
    return this.prefix + k;
  }
}
