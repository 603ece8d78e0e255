/**
 * When a hold is given back. `running`: when the job ends, however it ended (a user's videos in
 * progress). `spend`: only when the work certainly never reached MiniMax; once a create may
 * have reached it, the hold is kept (daily counts, and money budgets later).
 */
export type HoldKind = 'running' | 'spend';

/** One counter a reservation adds to. */
export interface QuotaLine {
  /** Counter name, e.g. `day:2026-03-01:user:discord:U1`; one line per counter per reservation. */
  counter: string;
  /** Most the counter may hold with this line added; undefined = count only, never refuse. */
  limit?: number;
  /** A positive whole number: 1 for a video, the smallest currency unit for a budget (#14). */
  amount: number;
  kind: HoldKind;
  /**
   * When this hold stops counting by itself (epoch ms): the end of its UTC day, or a safety bound
   * for a job the bot lost track of. Expired holds are swept, so no counter outlives its holds.
   */
  expiresAt: number;
}

/** `ok`, or the first line (index into the lines given) that would pass its limit. */
export type ReserveOutcome = { ok: true } | { ok: false; line: number; used: number };

/**
 * Quotas as reservations: a request holds its share of every counter before anything slow
 * happens, in one atomic step across every process that shares the ledger, and gives it back
 * when it goes no further. Times are the caller's clock (so a fake clock drives them in tests).
 */
export interface QuotaLedger {
  /**
   * Checks every line against its limit and adds all of them, or none, atomically. A second
   * reserve with an `id` that still holds something changes nothing and answers ok.
   */
  reserve(id: string, lines: readonly QuotaLine[], now: number): Promise<ReserveOutcome>;
  /** Gives back every hold of `id` that is not final. Unknown ids are ignored. */
  release(id: string): Promise<void>;
  /**
   * The work may have been paid for: gives back the `running` holds, keeps the `spend` ones for
   * good. With `amount`, each kept hold becomes that amount (a price held at its estimate is
   * settled at what was billed; a higher bill may pass the limit, which was checked at reserve).
   */
  commit(id: string, amount?: number): Promise<void>;
  /** What each counter holds at `now`, in the order asked. */
  used(counters: readonly string[], now: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Throws unless `lines` can be stored as given (whole positive amounts, distinct counters). */
export function assertLines(lines: readonly QuotaLine[]): void {
  const seen = new Set<string>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.amount) || line.amount <= 0)
      throw new RangeError(`quota amount must be a positive whole number (${line.counter})`);
    if (seen.has(line.counter)) throw new RangeError(`counter ${line.counter} appears twice`);
    seen.add(line.counter);
  }
}
