import { describe, expect, it } from 'vitest';
import type { QueryGate } from '../../../src/core/scheduler/query-gate.js';
import { maxInWindow } from '../engine/engine-harness.js';
import { driveUntil, FakeClock } from '../engine/fake-clock.js';

/** Two gates over one budget, standing for two instances (in-process: the same gate twice). */
export type MakeQueryGates = (options: {
  perSecond: number;
  clock: FakeClock;
}) => Promise<{ a: QueryGate; b: QueryGate }>;

/** Acquires on `gate` and records the clock time at which the slot was handed out. */
function timed(gate: QueryGate, clock: FakeClock, into: number[], signal?: AbortSignal) {
  return gate.send(signal, async () => {
    into.push(clock.now());
  });
}

/** Jumps the fake clock from timer to timer once nothing moved for a few real ms (Redis I/O). */
function run(clock: FakeClock, until: () => boolean): Promise<void> {
  return driveUntil(clock, until, { idleMs: 3 });
}

/** One suite for every QueryGate: the cap holds across instances and nobody waits forever. */
export function queryGateConformance(name: string, make: MakeQueryGates): void {
  describe(`${name} (QueryGate conformance)`, () => {
    it('lets MINIMAX_QPS queries through per second across instances, the rest a second later', async () => {
      const clock = new FakeClock();
      const { a, b } = await make({ perSecond: 2, clock });
      const at: number[] = [];
      const start = clock.now();
      const all = [a, b, a, b, a].map((g) => timed(g, clock, at));
      await run(clock, () => at.length === 5);
      await Promise.all(all);
      expect(at.map((t) => Math.floor((t - start) / 1_000))).toEqual([0, 0, 1, 1, 2]);
    });

    it('counts a slow query until a second after its answer, so MiniMax never sees a burst', async () => {
      const clock = new FakeClock();
      const { a, b } = await make({ perSecond: 1, clock });
      const at: number[] = [];
      const start = clock.now();
      // The first answer takes 3 s (a busy MiniMax, a blocked event loop): the next query waits.
      const slow = a.send(undefined, async () => {
        at.push(clock.now());
        await clock.sleep(3_000);
      });
      const next = timed(b, clock, at);
      await run(clock, () => at.length === 2);
      await Promise.all([slow, next]);
      expect(at.map((t) => t - start)).toEqual([0, 4_000]);
    });

    it('serves the queries of one instance in the order they asked', async () => {
      const clock = new FakeClock();
      const { a } = await make({ perSecond: 1, clock });
      const order: string[] = [];
      const all = ['first', 'second', 'third'].map((id) =>
        a.send(undefined, async () => {
          order.push(id);
        }),
      );
      await run(clock, () => order.length === 3);
      await Promise.all(all);
      expect(order).toEqual(['first', 'second', 'third']);
    });

    it('spaces queries out when MINIMAX_QPS is below one per second', async () => {
      const clock = new FakeClock();
      const { a, b } = await make({ perSecond: 0.5, clock });
      const at: number[] = [];
      const start = clock.now();
      const all = [a, b].map((g) => timed(g, clock, at));
      await run(clock, () => at.length === 2);
      await Promise.all(all);
      expect(at.map((t) => t - start)).toEqual([0, 2_000]);
    });

    it('stops waiting with the signal reason when aborted, leaving the slot to the next', async () => {
      const clock = new FakeClock();
      const { a } = await make({ perSecond: 1, clock });
      await a.send(undefined, async () => {});
      const ctl = new AbortController();
      const aborted = a.send(ctl.signal, async () => {});
      const at: number[] = [];
      const next = timed(a, clock, at);
      ctl.abort(new Error('job cancelled'));
      await expect(aborted).rejects.toThrow('job cancelled');
      await run(clock, () => at.length === 1);
      await next;
      expect(at).toHaveLength(1);
    });

    it('never hands out more than the cap in any second with 200 jobs asking at once', async () => {
      const clock = new FakeClock();
      const { a, b } = await make({ perSecond: 5, clock });
      const gates = [...new Set([a, b])];
      const waiting = new Map(gates.map((g) => [g, 0]));
      const at: number[] = [];
      const all = Array.from({ length: 200 }, (_, i) => {
        const gate = i % 2 ? a : b;
        waiting.set(gate, waiting.get(gate)! + 1);
        return gate.send(undefined, async () => {
          at.push(clock.now());
          waiting.set(gate, waiting.get(gate)! - 1);
        });
      });
      // Time moves only while every gate with waiters sleeps, so no take is in flight (Redis).
      for (let guard = 0; at.length < 200 && guard < 20_000; guard++) {
        const sleepers = gates.filter((g) => waiting.get(g)! > 0).length;
        if (clock.pendingTimers >= sleepers) await clock.advanceToNext();
        else await new Promise((r) => setTimeout(r, 1));
      }
      await Promise.all(all);
      expect(maxInWindow(at, 1_000)).toBeLessThanOrEqual(5);
      // 200 queries at 5 per second take 40 s: the cap is used, not just respected.
      expect(Math.max(...at) - Math.min(...at)).toBeLessThan(40_000);
    });
  });
}
