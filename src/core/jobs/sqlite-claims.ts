import type { Database } from 'better-sqlite3';
import type { Claims, Fence } from './job-store.js';

interface ClaimRow {
  owner: string;
  token: number;
  expires_at: number;
}

/** Claims in the embedded store: one row per job, taken and renewed in immediate transactions. */
export class SqliteClaims implements Claims {
  private readonly read;
  private readonly insert;
  private readonly extend;
  private readonly takeOver;
  private readonly renewAll;
  private readonly drop;
  private readonly jobExists;
  private readonly takeTx;

  constructor(
    db: Database,
    private readonly now: () => number,
  ) {
    this.read = db.prepare<[string], ClaimRow>(
      'SELECT owner, token, expires_at FROM claims WHERE job_id = ?',
    );
    this.insert = db.prepare<[string, string, number]>(
      'INSERT INTO claims (job_id, owner, token, expires_at) VALUES (?, ?, 1, ?)',
    );
    this.extend = db.prepare<[number, string]>('UPDATE claims SET expires_at = ? WHERE job_id = ?');
    this.takeOver = db.prepare<[string, number, string]>(
      'UPDATE claims SET owner = ?, token = token + 1, expires_at = ? WHERE job_id = ?',
    );
    this.renewAll = db.prepare<[number, string]>(
      'UPDATE claims SET expires_at = ? WHERE owner = ?',
    );
    // Released claims stay as expired rows, so the next holder's token is still higher.
    this.drop = db.prepare<[string, string]>(
      'UPDATE claims SET expires_at = 0 WHERE job_id = ? AND owner = ?',
    );
    this.jobExists = db.prepare<[string], { one: number }>(
      'SELECT 1 AS one FROM jobs WHERE id = ?',
    );
    this.takeTx = db.transaction(
      (jobId: string, owner: string, leaseMs: number, replacing?: Fence): Fence | undefined => {
        const now = this.now();
        const row = this.read.get(jobId);
        if (!row) {
          if (!this.jobExists.get(jobId)) return undefined;
          this.insert.run(jobId, owner, now + leaseMs);
          return { owner, token: 1 };
        }
        if (row.owner === owner) {
          this.extend.run(now + leaseMs, jobId);
          return { owner, token: row.token };
        }
        const replaced = replacing?.owner === row.owner && replacing.token === row.token;
        if (row.expires_at > now && !replaced) return undefined;
        this.takeOver.run(owner, now + leaseMs, jobId);
        return { owner, token: row.token + 1 };
      },
    );
  }

  async take(
    jobId: string,
    owner: string,
    leaseMs: number,
    replacing?: Fence,
  ): Promise<Fence | undefined> {
    return this.takeTx.immediate(jobId, owner, leaseMs, replacing);
  }

  async holder(jobId: string): Promise<Fence | undefined> {
    const row = this.read.get(jobId);
    return row && row.expires_at > this.now() ? { owner: row.owner, token: row.token } : undefined;
  }

  async renew(owner: string, leaseMs: number): Promise<number> {
    return this.renewAll.run(this.now() + leaseMs, owner).changes;
  }

  async release(jobId: string, owner: string): Promise<void> {
    this.drop.run(jobId, owner);
  }

  async holds(jobId: string, fence: Fence): Promise<boolean> {
    return this.check(jobId, fence);
  }

  /** Synchronous check, usable inside another transaction. */
  check(jobId: string, fence: Fence): boolean {
    const row = this.read.get(jobId);
    return row !== undefined && row.owner === fence.owner && row.token === fence.token;
  }
}
