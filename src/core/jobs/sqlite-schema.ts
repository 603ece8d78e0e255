import type { Database } from 'better-sqlite3';

/**
 * Tables of the embedded store. Job records are real rows with the columns the queries need,
 * so listing active, per-user or per-team jobs is an index scan instead of a snapshot read, and
 * every write is one `BEGIN IMMEDIATE` transaction: another process on the same file waits for
 * the lock (busy_timeout) instead of interleaving.
 */
export function createStoreSchema(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS jobs (
      id TEXT PRIMARY KEY,
      version INTEGER NOT NULL,
      state TEXT NOT NULL,
      active INTEGER NOT NULL,
      platform TEXT NOT NULL,
      user_id TEXT NOT NULL,
      workspace_id TEXT,
      created_at INTEGER NOT NULL,
      finished_at INTEGER,
      body TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS jobs_active ON jobs (created_at) WHERE active = 1;
    CREATE INDEX IF NOT EXISTS jobs_user ON jobs (platform, user_id, created_at);
    CREATE INDEX IF NOT EXISTS jobs_team ON jobs (platform, workspace_id, created_at);
    CREATE INDEX IF NOT EXISTS jobs_finished ON jobs (finished_at) WHERE active = 0;
    CREATE TABLE IF NOT EXISTS kv (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      expires_at INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS kv_expiry ON kv (expires_at) WHERE expires_at IS NOT NULL;
    CREATE TABLE IF NOT EXISTS job_images (
      job_id TEXT NOT NULL,
      slot TEXT NOT NULL,
      mime TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      bytes BLOB NOT NULL,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (job_id, slot)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS claims (
      job_id TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      token INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS claims_owner ON claims (owner);
  `);
}

/** A job row as stored: the record's JSON plus the columns queries use. */
export interface JobRow {
  version: number;
  state: string;
  body: string;
}
