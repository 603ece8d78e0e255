import Database from 'better-sqlite3';
import { SqliteQuotaLedger } from '../../../src/core/policy/sqlite-quota-ledger.js';

/** The embedded ledger on an in-memory database, for tests that need a policy and nothing else. */
export function memoryLedger(): SqliteQuotaLedger {
  return new SqliteQuotaLedger({ db: new Database(':memory:') });
}
