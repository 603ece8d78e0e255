import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuotaLedger, QuotaLine } from '../../../src/core/policy/quota-ledger.js';

export interface LedgerHarness {
  /** A ledger on the same data each call: a second connection, as a second process would have. */
  open(): Promise<QuotaLedger>;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 2, 1, 12);
const DAY_END = Date.UTC(2026, 2, 2);

const spend = (counter: string, limit?: number, amount = 1): QuotaLine => ({
  counter,
  amount,
  kind: 'spend',
  expiresAt: DAY_END,
  ...(limit !== undefined ? { limit } : {}),
});
const running = (counter: string, limit?: number): QuotaLine => ({
  counter,
  amount: 1,
  kind: 'running',
  expiresAt: T0 + 3_600_000,
  ...(limit !== undefined ? { limit } : {}),
});

/** The QuotaLedger contract, run against every adapter. */
export function describeQuotaLedgerConformance(name: string, make: () => Promise<LedgerHarness>) {
  describe(`QuotaLedger conformance: ${name}`, () => {
    let harness: LedgerHarness;
    let ledger: QuotaLedger;

    beforeEach(async () => {
      harness = await make();
      ledger = await harness.open();
    });
    afterEach(async () => {
      await ledger.close();
      await harness.cleanup();
    });

    it('refuses the reservation that would pass a limit and names the line and the count', async () => {
      for (const id of ['r1', 'r2']) {
        expect(await ledger.reserve(id, [spend('user'), spend('team', 2)], T0)).toEqual({
          ok: true,
        });
      }
      expect(await ledger.reserve('r3', [spend('user'), spend('team', 2)], T0)).toEqual({
        ok: false,
        line: 1,
        used: 2,
      });
      expect(await ledger.used(['user', 'team'], T0)).toEqual([2, 2]);
    });

    it('adds all lines or none', async () => {
      await ledger.reserve('r1', [spend('team', 1)], T0);
      const outcome = await ledger.reserve(
        'r2',
        [spend('user', 5), running('active', 5), spend('team', 1)],
        T0,
      );
      expect(outcome).toMatchObject({ ok: false, line: 2 });
      expect(await ledger.used(['user', 'active', 'team'], T0)).toEqual([0, 0, 1]);
    });

    it('counts a line without a limit and never refuses it', async () => {
      for (let i = 0; i < 5; i++) await ledger.reserve(`r${i}`, [spend('all')], T0);
      expect(await ledger.used(['all', 'never-used'], T0)).toEqual([5, 0]);
    });

    it('gives everything back on release, once', async () => {
      await ledger.reserve('r1', [spend('user', 1), running('active', 1)], T0);
      await ledger.reserve('r2', [spend('user')], T0);
      await ledger.release('r1');
      await ledger.release('r1');
      await ledger.release('unknown');
      expect(await ledger.used(['user', 'active'], T0)).toEqual([1, 0]);
      expect(await ledger.reserve('r3', [running('active', 1)], T0)).toEqual({ ok: true });
    });

    it('keeps the spend holds on commit and gives back the running ones, for good', async () => {
      await ledger.reserve('r1', [spend('user', 3), running('active', 1)], T0);
      await ledger.commit('r1');
      expect(await ledger.used(['user', 'active'], T0)).toEqual([1, 0]);
      await ledger.release('r1');
      await ledger.commit('r1');
      expect(await ledger.used(['user', 'active'], T0)).toEqual([1, 0]);
    });

    it('settles a held price at what was billed on commit, once', async () => {
      await ledger.reserve(
        'r1',
        [spend('user', 10, 5), spend('team', 10, 5), running('active', 1)],
        T0,
      );
      await ledger.reserve('r2', [spend('user', 10, 2)], T0);
      await ledger.commit('r1', 3);
      expect(await ledger.used(['user', 'team', 'active'], T0)).toEqual([5, 3, 0]);
      await ledger.commit('r1', 9);
      await ledger.release('r1');
      expect(await ledger.used(['user', 'team'], T0)).toEqual([5, 3]);
      await expect(ledger.commit('r2', 1.5)).rejects.toThrow(RangeError);
    });

    it('counts a second reserve of the same id once', async () => {
      await ledger.reserve('r1', [spend('user', 1)], T0);
      expect(await ledger.reserve('r1', [spend('user', 1)], T0)).toEqual({ ok: true });
      expect(await ledger.used(['user'], T0)).toEqual([1]);
    });

    it('forgets holds at their expiry without anyone releasing them', async () => {
      await ledger.reserve('r1', [spend('user', 1), running('active', 1)], T0);
      const hourLater = T0 + 3_600_000;
      expect(await ledger.used(['user', 'active'], hourLater)).toEqual([1, 0]);
      expect(await ledger.reserve('r2', [running('active', 1)], hourLater)).toEqual({ ok: true });
      expect(await ledger.used(['user'], DAY_END)).toEqual([0]);
      expect(await ledger.reserve('r3', [spend('user', 1)], DAY_END)).toEqual({ ok: true });
    });

    it('holds amounts other than one, as budgets in money will', async () => {
      const cents = (id: string) => ledger.reserve(id, [spend('budget', 1_000, 400)], T0);
      expect(await cents('a')).toEqual({ ok: true });
      expect(await cents('b')).toEqual({ ok: true });
      expect(await cents('c')).toEqual({ ok: false, line: 0, used: 800 });
      await ledger.release('a');
      expect(await cents('c')).toEqual({ ok: true });
      expect(await ledger.used(['budget'], T0)).toEqual([800]);
    });

    it('refuses amounts that are not positive whole numbers', async () => {
      await expect(ledger.reserve('r1', [spend('budget', 10, 0.5)], T0)).rejects.toThrow(
        /whole number/,
      );
      expect(await ledger.used(['budget'], T0)).toEqual([0]);
    });

    it('lets exactly the limit through when 50 reservations race on two connections', async () => {
      const other = await harness.open();
      try {
        const outcomes = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 ? other : ledger).reserve(
              `r${i}`,
              [running('active', 10), spend('user', 3)],
              T0,
            ),
          ),
        );
        expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
        expect(await other.used(['active', 'user'], T0)).toEqual([3, 3]);
      } finally {
        await other.close();
      }
    });
  });
}
