import type { Redis } from 'ioredis';
import {
  type CheckedImage,
  IMAGE_SLOTS,
  type ImageMime,
  type ImageSlot,
} from '../request-types.js';
import type { Job } from './job.js';
import {
  type Claims,
  type Fence,
  FINISHED_RETENTION_MS,
  JobConflictError,
  type JobStore,
} from './job-store.js';
import { INSERT, RELEASE_CLAIM, RENEW_CLAIMS, REPLACE, TAKE_CLAIM } from './redis-store-scripts.js';

export interface RedisJobStoreOptions {
  /** The backend's ioredis client, shared with the gates and the ledger; never closed here. */
  redis: Redis;
  /** Key prefix shared by every instance of one bot. */
  namespace: string;
  imageTtlMs?: number;
  retentionMs?: number;
  /** Jobs kept per user list and per team list. */
  userHistory?: number;
  teamHistory?: number;
}

interface StoredImage {
  mime: ImageMime;
  width: number;
  height: number;
  base64: string;
}

type ReplaceReply = [string, string?, string?];

/**
 * The shared JobStore on Redis: one hash per job written only through Lua compare-and-set,
 * sorted sets as indexes, TTLs for everything that ends (finished records after the retention,
 * values, dedupe keys, claims), so nothing needs a sweep and nothing grows without bound.
 */
export class RedisJobStore implements JobStore {
  readonly claims: Claims;
  private readonly redis: Redis;
  private readonly p: string;
  private readonly imageTtlMs: number;
  private readonly retentionMs: number;
  private readonly userHistory: number;
  private readonly teamHistory: number;

  constructor(options: RedisJobStoreOptions) {
    this.redis = options.redis;
    this.p = `${options.namespace}:store:`;
    this.imageTtlMs = options.imageTtlMs ?? 7 * 24 * 3600_000;
    this.retentionMs = options.retentionMs ?? FINISHED_RETENTION_MS;
    this.userHistory = options.userHistory ?? 100;
    this.teamHistory = options.teamHistory ?? 5_000;
    this.claims = new RedisClaims(this.redis, this.p);
  }

  async get(id: string): Promise<Job | undefined> {
    const [v, b] = await this.redis.hmget(this.k(`job:${id}`), 'v', 'b');
    return v && b ? decode(v, b) : undefined;
  }

  async insert(job: Job): Promise<Job> {
    const { platform, userId, workspaceId } = job.origin;
    const stored = { ...job, version: 1 };
    const made = await this.redis.eval(
      INSERT,
      4,
      this.k(`job:${job.id}`),
      this.k('active'),
      this.k(`user:${platform}:${userId}`),
      workspaceId ? this.k(`team:${platform}:${workspaceId}`) : this.k(`job:${job.id}`),
      job.id,
      job.state,
      encode(stored),
      job.createdAt,
      this.userHistory,
      this.teamHistory,
      workspaceId ? '1' : '0',
      this.retentionMs,
      this.retentionMs,
    );
    if (made !== 1) throw new JobConflictError(job.id, await this.get(job.id), 'exists');
    return stored;
  }

  async replace(next: Job, fence?: Fence): Promise<Job> {
    const reply = (await this.redis.eval(
      REPLACE,
      3,
      this.k(`job:${next.id}`),
      this.k('active'),
      this.k(`claim:${next.id}`),
      next.id,
      String(next.version ?? 0),
      next.state,
      encode(next),
      this.retentionMs,
      fence?.owner ?? '',
      fence ? String(fence.token) : '',
    )) as ReplaceReply;
    const [outcome, version, body] = reply;
    if (outcome === 'ok') return { ...next, version: Number(version) };
    const current = version && body ? decode(version, body) : undefined;
    throw new JobConflictError(next.id, current, outcome as 'version' | 'final' | 'fence');
  }

  async listActive(): Promise<Job[]> {
    return this.getMany(await this.redis.zrange(this.k('active'), 0, -1));
  }

  async listByUser(platform: string, userId: string, limit = 10): Promise<Job[]> {
    return this.newest(`user:${platform}:${userId}`, limit);
  }

  async listByTeam(platform: string, workspaceId: string, limit = 100): Promise<Job[]> {
    return this.newest(`team:${platform}:${workspaceId}`, limit);
  }

  async saveImages(jobId: string, images: Partial<Record<ImageSlot, CheckedImage>>): Promise<void> {
    const multi = this.redis.multi();
    for (const slot of IMAGE_SLOTS) {
      const image = images[slot];
      if (!image) continue;
      const stored: StoredImage = {
        mime: image.mime,
        width: image.width,
        height: image.height,
        base64: image.bytes.toString('base64'),
      };
      multi.set(this.k(`img:${jobId}:${slot}`), JSON.stringify(stored), 'PX', this.imageTtlMs);
    }
    await multi.exec();
  }

  async loadImages(jobId: string): Promise<Partial<Record<ImageSlot, CheckedImage>>> {
    const raw = await this.redis.mget(IMAGE_SLOTS.map((slot) => this.k(`img:${jobId}:${slot}`)));
    const images: Partial<Record<ImageSlot, CheckedImage>> = {};
    IMAGE_SLOTS.forEach((slot, i) => {
      const text = raw[i];
      if (!text) return;
      const s = JSON.parse(text) as StoredImage;
      images[slot] = {
        mime: s.mime,
        width: s.width,
        height: s.height,
        bytes: Buffer.from(s.base64, 'base64'),
      };
    });
    return images;
  }

  async deleteImages(jobId: string): Promise<void> {
    await this.redis.del(...IMAGE_SLOTS.map((slot) => this.k(`img:${jobId}:${slot}`)));
  }

  async remember(key: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.round(ttlMs));
    return (await this.redis.set(this.k(`seen:${key}`), '1', 'PX', ttl, 'NX')) === 'OK';
  }

  async getValue<T>(key: string): Promise<T | undefined> {
    const text = await this.redis.get(this.k(`val:${key}`));
    return text === null ? undefined : (JSON.parse(text) as T);
  }

  async setValue<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    const text = JSON.stringify(value);
    if (ttlMs === undefined) await this.redis.set(this.k(`val:${key}`), text);
    else await this.redis.set(this.k(`val:${key}`), text, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  /** Redis expires keys itself; only index entries whose record expired are dropped here. */
  async sweep(): Promise<number> {
    const ids = await this.redis.zrange(this.k('active'), 0, -1);
    let dropped = 0;
    for (const id of ids) {
      if ((await this.redis.exists(this.k(`job:${id}`))) === 0) {
        dropped += await this.redis.zrem(this.k('active'), id);
      }
    }
    return dropped;
  }

  async size(): Promise<number> {
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.p}*`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  }

  async close(): Promise<void> {}

  private async newest(list: string, limit: number): Promise<Job[]> {
    if (limit <= 0) return [];
    return this.getMany(await this.redis.zrevrange(this.k(list), 0, limit - 1));
  }

  private async getMany(ids: string[]): Promise<Job[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.k(`job:${id}`), 'v', 'b');
    const replies = (await pipeline.exec()) ?? [];
    const jobs: Job[] = [];
    for (const [err, value] of replies) {
      if (err) throw err;
      const [v, b] = value as [string | null, string | null];
      // An indexed id whose record expired (retention) or was never written is skipped.
      if (v && b) jobs.push(decode(v, b));
    }
    return jobs;
  }

  private k(key: string): string {
    return this.p + key;
  }
}

class RedisClaims implements Claims {
  constructor(
    private readonly redis: Redis,
    private readonly p: string,
  ) {}

  async take(
    jobId: string,
    owner: string,
    leaseMs: number,
    replacing?: Fence,
  ): Promise<Fence | undefined> {
    const token = (await this.redis.eval(
      TAKE_CLAIM,
      3,
      `${this.p}claim:${jobId}`,
      `${this.p}job:${jobId}`,
      `${this.p}owner:${owner}`,
      owner,
      Math.max(1, Math.round(leaseMs)),
      replacing?.owner ?? '',
      replacing ? String(replacing.token) : '',
    )) as number;
    return token > 0 ? { owner, token } : undefined;
  }

  async holder(jobId: string): Promise<Fence | undefined> {
    const [o, t] = await this.redis.hmget(`${this.p}claim:${jobId}`, 'o', 't');
    return o && t ? { owner: o, token: Number(t) } : undefined;
  }

  async renew(owner: string, leaseMs: number): Promise<number> {
    return (await this.redis.eval(
      RENEW_CLAIMS,
      1,
      `${this.p}owner:${owner}`,
      owner,
      Math.max(1, Math.round(leaseMs)),
    )) as number;
  }

  async release(jobId: string, owner: string): Promise<void> {
    await this.redis.eval(
      RELEASE_CLAIM,
      2,
      `${this.p}claim:${jobId}`,
      `${this.p}owner:${owner}`,
      owner,
    );
  }

  async holds(jobId: string, fence: Fence): Promise<boolean> {
    const [o, t] = await this.redis.hmget(`${this.p}claim:${jobId}`, 'o', 't');
    return o === fence.owner && t === String(fence.token);
  }
}

function encode(job: Job): string {
  const { version: _version, ...rest } = job;
  return JSON.stringify(rest);
}

function decode(version: string, body: string): Job {
  return { ...(JSON.parse(body) as Job), version: Number(version) };
}
