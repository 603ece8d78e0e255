import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import pino, { type Logger } from 'pino';
import type { CheckedImage, ImageMime, ImageSlot } from '../request-types.js';
import { isTerminal, type Job } from './job.js';
import type { JobStore } from './job-store.js';
import { RedisBackend } from './redis-backend.js';
import { LocalBackend, type StoreBackend } from './store-backend.js';

export interface KeyvJobStoreOptions {
  /** Key prefix, so several bots (or test runs) can share one Redis. Default `mvb`. */
  namespace?: string;
  logger?: Logger;
  /** How many jobs per user `listByUser` can return. Default 100. */
  userHistory?: number;
  /** Input images outlive a crashed job by at most this long. Default 7 days. */
  imageTtlMs?: number;
}

const IMAGE_SLOTS: readonly ImageSlot[] = ['first', 'last', 'subject'];
const ACTIVE = 'active';

interface StoredImage {
  mime: ImageMime;
  width: number;
  height: number;
  base64: string;
}

/** Where a keyv job store lives; the backend factory reads it from STORE_URL. */
export type KeyvStoreLocation =
  | { kind: 'memory' }
  | { kind: 'sqlite'; file: string }
  | { kind: 'redis'; url: string };

/** Opens a keyv job store at `location` (SQLite: parent directory created). */
export async function createKeyvJobStore(
  location: KeyvStoreLocation,
  opts: KeyvJobStoreOptions = {},
): Promise<JobStore> {
  const namespace = opts.namespace ?? 'mvb';
  const logger = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'job-store' });
  const backend = await openBackend(location, namespace, logger);
  return new KeyvJobStore(backend, opts);
}

async function openBackend(
  location: KeyvStoreLocation,
  namespace: string,
  logger: Logger,
): Promise<StoreBackend> {
  if (location.kind === 'memory') {
    return new LocalBackend(new Keyv({ store: new Map(), namespace, throwOnErrors: true }));
  }
  if (location.kind === 'redis') return RedisBackend.connect(location.url, namespace, logger);
  const file = location.file;
  await mkdir(dirname(file), { recursive: true });
  const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5_000 });
  // WAL keeps readers from blocking the writer; each write is still durable on return.
  await adapter.query('PRAGMA journal_mode=WAL');
  const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true });
  keyv.on('error', (err: unknown) => logger.debug({ err }, 'keyv sqlite error'));
  return new LocalBackend(keyv, () => adapter.disconnect());
}

/** JobStore on keyv: one key per job, images under their own keys, indexes via the backend. */
export class KeyvJobStore implements JobStore {
  private readonly userHistory: number;
  private readonly imageTtlMs: number;
  private closed = false;

  constructor(
    private readonly backend: StoreBackend,
    opts: KeyvJobStoreOptions = {},
  ) {
    this.userHistory = opts.userHistory ?? 100;
    this.imageTtlMs = opts.imageTtlMs ?? 7 * 24 * 3600_000;
  }

  async get(id: string): Promise<Job | undefined> {
    return (await this.backend.keyv.get(jobKey(id))) as Job | undefined;
  }

  async save(job: Job): Promise<void> {
    // Order matters for crash safety: a live job enters the active index before its record is
    // written, and a finished one leaves it only after, so a crash never hides a live job.
    if (!isTerminal(job.state)) await this.backend.setAdd(ACTIVE, job.id);
    await this.backend.keyv.set(jobKey(job.id), job);
    if (isTerminal(job.state)) await this.backend.setRemove(ACTIVE, job.id);
    await this.backend.rankAdd(
      userList(job.origin.platform, job.origin.userId),
      job.id,
      job.createdAt,
      this.userHistory,
    );
    if (job.origin.workspaceId) {
      await this.backend.rankAdd(
        teamList(job.origin.platform, job.origin.workspaceId),
        job.id,
        job.createdAt,
        TEAM_HISTORY,
      );
    }
  }

  async listByTeam(platform: string, workspaceId: string, limit = 100): Promise<Job[]> {
    const ids = await this.backend.rankTop(teamList(platform, workspaceId), limit);
    return this.getMany(ids);
  }

  async listActive(): Promise<Job[]> {
    const ids = await this.backend.setMembers(ACTIVE);
    const jobs = await this.getMany(ids);
    return jobs.filter((j) => !isTerminal(j.state)).sort((a, b) => a.createdAt - b.createdAt);
  }

  async listByUser(platform: string, userId: string, limit = 10): Promise<Job[]> {
    const ids = await this.backend.rankTop(userList(platform, userId), limit);
    return this.getMany(ids);
  }

  async saveImages(jobId: string, images: Partial<Record<ImageSlot, CheckedImage>>): Promise<void> {
    for (const slot of IMAGE_SLOTS) {
      const image = images[slot];
      if (!image) continue;
      const stored: StoredImage = {
        mime: image.mime,
        width: image.width,
        height: image.height,
        base64: image.bytes.toString('base64'),
      };
      await this.backend.keyv.set(imageKey(jobId, slot), stored, this.imageTtlMs);
    }
  }

  async loadImages(jobId: string): Promise<Partial<Record<ImageSlot, CheckedImage>>> {
    const images: Partial<Record<ImageSlot, CheckedImage>> = {};
    for (const slot of IMAGE_SLOTS) {
      const stored = (await this.backend.keyv.get(imageKey(jobId, slot))) as
        | StoredImage
        | undefined;
      if (!stored) continue;
      images[slot] = {
        mime: stored.mime,
        width: stored.width,
        height: stored.height,
        bytes: Buffer.from(stored.base64, 'base64'),
      };
    }
    return images;
  }

  async deleteImages(jobId: string): Promise<void> {
    await this.backend.keyv.deleteMany(IMAGE_SLOTS.map((slot) => imageKey(jobId, slot)));
  }

  remember(key: string, ttlMs: number): Promise<boolean> {
    return this.backend.addIfAbsent(key, ttlMs);
  }

  async getValue<T>(key: string): Promise<T | undefined> {
    return (await this.backend.keyv.get(valueKey(key))) as T | undefined;
  }

  async setValue<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    await this.backend.keyv.set(valueKey(key), value, ttlMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.backend.close();
  }

  private async getMany(ids: string[]): Promise<Job[]> {
    if (ids.length === 0) return [];
    const jobs = (await this.backend.keyv.getMany(ids.map(jobKey))) as Array<Job | undefined>;
    // An id whose record is missing was indexed by a save that has not finished (or crashed).
    return jobs.filter((j): j is Job => j !== undefined && j !== null);
  }
}

const jobKey = (id: string) => `job:${id}`;
const imageKey = (id: string, slot: ImageSlot) => `img:${id}:${slot}`;
const valueKey = (key: string) => `val:${key}`;
const teamList = (platform: string, workspaceId: string) => `team:${platform}:${workspaceId}`;
const TEAM_HISTORY = 5_000;
const userList = (platform: string, userId: string) => `user:${platform}:${userId}`;
