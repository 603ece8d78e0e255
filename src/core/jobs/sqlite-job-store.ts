import type { Database } from 'better-sqlite3';
import {
  type CheckedImage,
  IMAGE_SLOTS,
  type ImageMime,
  type ImageSlot,
} from '../request-types.js';
import { isTerminal, type Job, type JobState } from './job.js';
import { type Fence, FINISHED_RETENTION_MS, JobConflictError, type JobStore } from './job-store.js';
import { SqliteClaims } from './sqlite-claims.js';
import { createStoreSchema, type JobRow } from './sqlite-schema.js';

export interface SqliteJobStoreOptions {
  /** An open better-sqlite3 database (WAL); the store owns it only when `ownsDb` is set. */
  db: Database;
  ownsDb?: boolean;
  /** Wall clock for TTLs and leases; injected so soak tests can run months in seconds. */
  now?: () => number;
  /** Input images outlive a crashed job by at most this long. Default 7 days. */
  imageTtlMs?: number;
  /** Finished records are swept after this long. Default 90 days. */
  retentionMs?: number;
}

interface ImageRow {
  slot: ImageSlot;
  mime: ImageMime;
  width: number;
  height: number;
  bytes: Buffer;
}

/** The embedded JobStore: better-sqlite3 tables, compare-and-set in immediate transactions. */
export class SqliteJobStore implements JobStore {
  readonly claims: SqliteClaims;
  private readonly db: Database;
  private readonly now: () => number;
  private readonly imageTtlMs: number;
  private readonly retentionMs: number;
  private readonly q;
  private readonly insertTx;
  private readonly replaceTx;
  private readonly rememberTx;
  private closed = false;

  constructor(private readonly options: SqliteJobStoreOptions) {
    const { db } = options;
    this.db = db;
    this.now = options.now ?? Date.now;
    this.imageTtlMs = options.imageTtlMs ?? 7 * 24 * 3600_000;
    this.retentionMs = options.retentionMs ?? FINISHED_RETENTION_MS;
    createStoreSchema(db);
    this.claims = new SqliteClaims(db, this.now);
    this.q = {
      get: db.prepare<[string], JobRow>('SELECT version, state, body FROM jobs WHERE id = ?'),
      insert: db.prepare(
        `INSERT INTO jobs (id, version, state, active, platform, user_id, workspace_id,
           created_at, finished_at, body) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare(
        'UPDATE jobs SET version = ?, state = ?, active = ?, finished_at = ?, body = ? WHERE id = ?',
      ),
      active: db.prepare<[], JobRow>(
        'SELECT version, state, body FROM jobs WHERE active = 1 ORDER BY created_at',
      ),
      byUser: db.prepare<[string, string, number], JobRow>(
        `SELECT version, state, body FROM jobs WHERE platform = ? AND user_id = ?
           ORDER BY created_at DESC LIMIT ?`,
      ),
      byTeam: db.prepare<[string, string, number], JobRow>(
        `SELECT version, state, body FROM jobs WHERE platform = ? AND workspace_id = ?
           ORDER BY created_at DESC LIMIT ?`,
      ),
      kvGet: db.prepare<[string, number], { value: string }>(
        'SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
      ),
      kvSet: db.prepare('INSERT OR REPLACE INTO kv (key, value, expires_at) VALUES (?, ?, ?)'),
      imageSet: db.prepare(
        `INSERT OR REPLACE INTO job_images (job_id, slot, mime, width, height, bytes, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      imageGet: db.prepare<[string, number], ImageRow>(
        `SELECT slot, mime, width, height, bytes FROM job_images
           WHERE job_id = ? AND expires_at > ?`,
      ),
      imageDrop: db.prepare('DELETE FROM job_images WHERE job_id = ?'),
      sweepJobs: db.prepare('DELETE FROM jobs WHERE active = 0 AND finished_at <= ?'),
      sweepKv: db.prepare('DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?'),
      sweepImages: db.prepare('DELETE FROM job_images WHERE expires_at <= ?'),
      // A claim row outlives its lease so tokens keep growing; it goes with its job.
      sweepClaims: db.prepare(
        'DELETE FROM claims WHERE expires_at <= ? AND job_id NOT IN (SELECT id FROM jobs)',
      ),
      size: db.prepare<[], { n: number }>(
        `SELECT (SELECT COUNT(*) FROM jobs) + (SELECT COUNT(*) FROM kv)
           + (SELECT COUNT(*) FROM job_images) + (SELECT COUNT(*) FROM claims) AS n`,
      ),
    };
    this.insertTx = db.transaction((job: Job): Job => {
      if (this.q.get.get(job.id)) throw new JobConflictError(job.id, this.read(job.id), 'exists');
      const stored = { ...job, version: 1 };
      this.q.insert.run(
        job.id,
        job.state,
        isTerminal(job.state) ? 0 : 1,
        job.origin.platform,
        job.origin.userId,
        job.origin.workspaceId ?? null,
        job.createdAt,
        job.finishedAt ?? null,
        encode(stored),
      );
      return stored;
    });
    this.replaceTx = db.transaction((next: Job, fence?: Fence): Job => {
      const row = this.q.get.get(next.id);
      if (!row) throw new JobConflictError(next.id, undefined, 'missing');
      // A finished record may still gain fields (links, file gone) but never another state.
      if (isTerminal(row.state as JobState) && next.state !== row.state)
        throw new JobConflictError(next.id, decode(row), 'final');
      if (row.version !== next.version) throw new JobConflictError(next.id, decode(row), 'version');
      if (fence && !this.claims.check(next.id, fence))
        throw new JobConflictError(next.id, decode(row), 'fence');
      const stored = { ...next, version: row.version + 1 };
      const done = isTerminal(next.state);
      this.q.update.run(
        stored.version,
        next.state,
        done ? 0 : 1,
        done ? (next.finishedAt ?? this.now()) : null,
        encode(stored),
        next.id,
      );
      return stored;
    });
    this.rememberTx = db.transaction((key: string, ttlMs: number): boolean => {
      const now = this.now();
      if (this.q.kvGet.get(key, now)) return false;
      this.q.kvSet.run(key, '1', now + ttlMs);
      return true;
    });
  }

  async get(id: string): Promise<Job | undefined> {
    return this.read(id);
  }

  async insert(job: Job): Promise<Job> {
    return this.insertTx.immediate(job);
  }

  async replace(next: Job, fence?: Fence): Promise<Job> {
    return this.replaceTx.immediate(next, fence);
  }

  async listActive(): Promise<Job[]> {
    return this.q.active.all().map(decode);
  }

  async listByUser(platform: string, userId: string, limit = 10): Promise<Job[]> {
    return this.q.byUser.all(platform, userId, limit).map(decode);
  }

  async listByTeam(platform: string, workspaceId: string, limit = 100): Promise<Job[]> {
    return this.q.byTeam.all(platform, workspaceId, limit).map(decode);
  }

  async saveImages(jobId: string, images: Partial<Record<ImageSlot, CheckedImage>>): Promise<void> {
    const expiresAt = this.now() + this.imageTtlMs;
    this.db.transaction(() => {
      for (const slot of IMAGE_SLOTS) {
        const image = images[slot];
        if (!image) continue;
        this.q.imageSet.run(
          jobId,
          slot,
          image.mime,
          image.width,
          image.height,
          image.bytes,
          expiresAt,
        );
      }
    })();
  }

  async loadImages(jobId: string): Promise<Partial<Record<ImageSlot, CheckedImage>>> {
    const images: Partial<Record<ImageSlot, CheckedImage>> = {};
    for (const row of this.q.imageGet.all(jobId, this.now())) {
      images[row.slot] = { bytes: row.bytes, mime: row.mime, width: row.width, height: row.height };
    }
    return images;
  }

  async deleteImages(jobId: string): Promise<void> {
    this.q.imageDrop.run(jobId);
  }

  async remember(key: string, ttlMs: number): Promise<boolean> {
    return this.rememberTx.immediate(`seen:${key}`, Math.max(1, Math.round(ttlMs)));
  }

  async getValue<T>(key: string): Promise<T | undefined> {
    const row = this.q.kvGet.get(`val:${key}`, this.now());
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async setValue<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    const expiresAt = ttlMs === undefined ? null : this.now() + ttlMs;
    this.q.kvSet.run(`val:${key}`, JSON.stringify(value), expiresAt);
  }

  async sweep(): Promise<number> {
    const now = this.now();
    return this.db.transaction(
      () =>
        this.q.sweepJobs.run(now - this.retentionMs).changes +
        this.q.sweepKv.run(now).changes +
        this.q.sweepImages.run(now).changes +
        this.q.sweepClaims.run(now).changes,
    )();
  }

  async size(): Promise<number> {
    return this.q.size.get()?.n ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.options.ownsDb) this.db.close();
  }

  private read(id: string): Job | undefined {
    const row = this.q.get.get(id);
    return row ? decode(row) : undefined;
  }
}

function encode(job: Job): string {
  const { version: _version, ...rest } = job;
  return JSON.stringify(rest);
}

function decode(row: JobRow): Job {
  return { ...(JSON.parse(row.body) as Job), version: row.version };
}
