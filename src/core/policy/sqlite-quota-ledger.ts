import type { Database, Statement } from 'better-sqlite3';
import {
  assertLines,
  type QuotaLedger,
  type QuotaLine,
  type ReserveOutcome,
} from './quota-ledger.js';

export interface SqliteQuotaLedgerOptions {
  /** An open better-sqlite3 database; the ledger creates its table but never closes it. */
  db: Database;
  /** Table name; default `quota_holds`. */
  table?: string;
}

/**
 * The embedded QuotaLedger: one row per hold in a better-sqlite3 table. better-sqlite3 runs a
 * transaction synchronously, so no other code of this process can run between the check and
 * the insert; `BEGIN IMMEDIATE` takes the file's write lock first, so another process on the
 * same file waits instead of interleaving. Expired rows are swept on every reserve.
 */
export class SqliteQuotaLedger implements QuotaLedger {
  private readonly sum: Statement<[string, number], { used: number }>;
  private readonly exists: Statement<[string], { one: number }>;
  private readonly insert: Statement<[string, string, number, string, number]>;
  private readonly sweep: Statement<[number]>;
  private readonly dropAll: Statement<[string]>;
  private readonly dropRunning: Statement<[string]>;
  private readonly finalise: Statement<[string]>;
  private readonly reserveTx: (
    id: string,
    lines: readonly QuotaLine[],
    now: number,
  ) => ReserveOutcome;
  private readonly commitTx: (id: string, amount: number | undefined) => void;
  private readonly resize: Statement<[number, string]>;

  constructor(options: SqliteQuotaLedgerOptions) {
    const { db } = options;
    const t = options.table ?? 'quota_holds';
    if (!/^[a-z_][a-z0-9_]*$/i.test(t)) throw new RangeError(`bad table name ${t}`);
    db.exec(`CREATE TABLE IF NOT EXISTS ${t} (
      counter TEXT NOT NULL,
      reservation TEXT NOT NULL,
      amount INTEGER NOT NULL,
      kind TEXT NOT NULL,
      final INTEGER NOT NULL DEFAULT 0,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (counter, reservation)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${t}_reservation ON ${t} (reservation);
    CREATE INDEX IF NOT EXISTS ${t}_expiry ON ${t} (expires_at);`);
    this.sum = db.prepare(
      `SELECT COALESCE(SUM(amount), 0) AS used FROM ${t} WHERE counter = ? AND expires_at > ?`,
    );
    this.exists = db.prepare(`SELECT 1 AS one FROM ${t} WHERE reservation = ? LIMIT 1`);
    this.insert = db.prepare(
      `INSERT INTO ${t} (reservation, counter, amount, kind, expires_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.sweep = db.prepare(`DELETE FROM ${t} WHERE expires_at <= ?`);
    this.dropAll = db.prepare(`DELETE FROM ${t} WHERE reservation = ? AND final = 0`);
    this.dropRunning = db.prepare(
      `DELETE FROM ${t} WHERE reservation = ? AND final = 0 AND kind = 'running'`,
    );
    this.finalise = db.prepare(`UPDATE ${t} SET final = 1 WHERE reservation = ? AND final = 0`);
    this.resize = db.prepare(`UPDATE ${t} SET amount = ? WHERE reservation = ? AND final = 0`);
    const tx = db.transaction((id: string, lines: readonly QuotaLine[], now: number) => {
      this.sweep.run(now);
      if (this.exists.get(id)) return { ok: true } as const;
      for (const [index, line] of lines.entries()) {
        const { used } = this.sum.get(line.counter, now)!;
        if (line.limit !== undefined && used + line.amount > line.limit)
          return { ok: false, line: index, used } as const;
      }
      for (const line of lines)
        this.insert.run(id, line.counter, line.amount, line.kind, line.expiresAt);
      return { ok: true } as const;
    });
    this.reserveTx = (id, lines, now) => tx.immediate(id, lines, now);
    this.commitTx = db.transaction((id: string, amount: number | undefined) => {
      this.dropRunning.run(id);
      if (amount !== undefined) this.resize.run(amount, id);
      this.finalise.run(id);
    });
  }

  async reserve(id: string, lines: readonly QuotaLine[], now: number): Promise<ReserveOutcome> {
    assertLines(lines);
    return this.reserveTx(id, lines, now);
  }

  async release(id: string): Promise<void> {
    this.dropAll.run(id);
  }

  async commit(id: string, amount?: number): Promise<void> {
    if (amount !== undefined && (!Number.isSafeInteger(amount) || amount < 0))
      throw new RangeError('a committed amount must be a whole number of at least 0');
    this.commitTx(id, amount);
  }

  async used(counters: readonly string[], now: number): Promise<number[]> {
    return counters.map((counter) => this.sum.get(counter, now)!.used);
  }

  async close(): Promise<void> {}
}
