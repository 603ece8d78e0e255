import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { StoreLocation } from './store-location.js';

/**
 * The embedded quota ledger's database: `data/bot.sqlite` → `data/bot.quota.sqlite` (WAL, waits
 * for another process's write), or in memory beside a `memory://` store.
 * TODO(#11): once the job store itself is on better-sqlite3, pass its Database instead. Until then
 * the ledger has its own file: two SQLite libraries (keyv's sqlite3 and better-sqlite3) writing
 * one file from one process do not see each other's locks.
 */
export function openQuotaDatabase(location: StoreLocation): Database.Database {
  if (location.kind !== 'sqlite') return new Database(':memory:');
  mkdirSync(dirname(location.file), { recursive: true });
  const db = new Database(location.file.replace(/(\.sqlite)?$/, '.quota.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}
