import { describe, expect, it, vi } from 'vitest';
import type { RateGate } from '../../../src/core/scheduler/task-scheduler.js';
import { maxInWindow } from '../engine/engine-harness.js';
import { FakeClock } from '../engine/fake-clock.js';

export interface GateFactoryOptions {
  perMinute: number;
  clock: FakeClock;
  maxCreateMs?: number;
}

/**
 * Two gates over one budget, standing for two instances (the in-process gate hands back the same
 * object twice: one process has one gate).
 */
export type MakeGates = (options: GateFactoryOptions) => Promise<{ a: RateGate; b: RateGate }>;

/** One suite for every RateGate: what it promises is what MiniMax counts, at arrival. */
export function rateGateConformance(name: string, make: MakeGates): void {
  describe(`${name} (RateGate conformance)`, () => {
    const gates = async (perMinute: number, maxCreateMs?: number) => {
      const clock = new FakeClock();
      const pair = await make({ perMinute, clock, ...(maxCreateMs ? { maxCreateMs } : {}) });
      return { clock, ...pair };
    };

    it('reserves MINIMAX_RPM creates at once and makes the next wait at least a window', async () => {
      const { a, b } = await gates(3);
      expect(await a.tryAcquire('j1')).toBe(0);
      expect(await b.tryAcquire('j2')).toBe(0);
      expect(await a.tryAcquire('j3')).toBe(0);
      expect(await b.tryAcquire('j4')).toBe(60_000);
    });

    it('keeps one reservation per job however often the job asks', async () => {
      const { a, b } = await gates(2);
      expect(await a.tryAcquire('j1')).toBe(0);
      expect(await a.tryAcquire('j1')).toBe(0);
      expect(await a.tryAcquire('j2')).toBe(0);
      expect(await b.tryAcquire('j3')).toBeGreaterThan(0);
    });

    it('counts a create until a full window after its answer, however late it was sent', async () => {
      const { clock, a, b } = await gates(1);
      expect(await a.tryAcquire('j1')).toBe(0);
      // A busy event loop or a slow request: the answer comes 30 s after the reservation.
      await clock.advance(30_000);
      await a.settle('j1', clock.now());
      await clock.advance(59_000);
      expect(await b.tryAcquire('j2')).toBe(1_000);
      await clock.advance(1_000);
      expect(await b.tryAcquire('j2')).toBe(0);
    });

    it('says exactly when the earliest answered create stops counting', async () => {
      const { clock, a, b } = await gates(2);
      await a.tryAcquire('j1');
      await b.tryAcquire('j2');
      await clock.advance(10_000);
      await a.settle('j1', clock.now());
      await clock.advance(10_000);
      await b.settle('j2', clock.now());
      expect(await a.tryAcquire('j3')).toBe(50_000);
    });

    it('frees the place at once when the create never reached MiniMax', async () => {
      const { a, b } = await gates(1);
      expect(await a.tryAcquire('j1')).toBe(0);
      await a.release('j1');
      expect(await b.tryAcquire('j2')).toBe(0);
    });

    it('lets an unanswered reservation lapse after the longest create plus a window', async () => {
      const { clock, a, b } = await gates(1, 10_000);
      expect(await a.tryAcquire('j1')).toBe(0);
      await clock.advance(69_999);
      expect(await b.tryAcquire('j2')).toBeGreaterThan(0);
      await clock.advance(1);
      expect(await b.tryAcquire('j2')).toBe(0);
    });

    it('spaces creates a window apart when MINIMAX_RPM is below one per minute', async () => {
      const { clock, a, b } = await gates(0.5);
      expect(await a.tryAcquire('j1')).toBe(0);
      await a.settle('j1', clock.now());
      await clock.advance(60_000);
      expect(await b.tryAcquire('j2')).toBe(60_000);
      await clock.advance(60_000);
      expect(await b.tryAcquire('j2')).toBe(0);
    });

    it('holds every instance after one of them paused for a 1002, and never shortens it', async () => {
      const { clock, a, b } = await gates(100);
      a.pauseUntil(clock.now() + 30_000);
      await vi.waitFor(async () => expect(await b.tryAcquire('j1')).toBe(30_000));
      b.pauseUntil(clock.now() + 5_000);
      await clock.advance(10_000);
      expect(await b.tryAcquire('j1')).toBe(20_000);
      await clock.advance(20_000);
      expect(await b.tryAcquire('j1')).toBe(0);
    });

    it('lets acquire wait on the clock until a place frees, then reserve it', async () => {
      const { clock, a, b } = await gates(1);
      await a.acquire('j1');
      await a.settle('j1', clock.now());
      let acquired = false;
      const waiting = b.acquire('j2').then(() => {
        acquired = true;
      });
      await vi.waitFor(() => expect(clock.pendingTimers).toBe(1));
      await clock.advance(59_999);
      expect(acquired).toBe(false);
      await clock.advance(1);
      await waiting;
      expect(acquired).toBe(true);
      expect(await a.tryAcquire('j3')).toBe(60_000);
    });

    it('stops waiting with the signal reason when aborted', async () => {
      const { clock, a, b } = await gates(1);
      await a.acquire('j1');
      const ctl = new AbortController();
      const waiting = b.acquire('j2', ctl.signal);
      await vi.waitFor(() => expect(clock.pendingTimers).toBe(1));
      ctl.abort(new Error('shutting down'));
      await expect(waiting).rejects.toThrow('shutting down');
    });

    it('never lets more than the limit arrive in any window, with random send lags and answers, while using the budget', async () => {
      const perMinute = 5;
      const { clock, a, b } = await gates(perMinute);
      let seed = 42;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const arrivals: number[] = [];
      /** Creates in flight: when each reaches MiniMax, when its answer comes back. */
      const inFlight: { gate: RateGate; key: string; answerAt: number }[] = [];
      const start = clock.now();
      let next = 0;
      while (clock.now() < start + 10 * 60_000) {
        for (const f of inFlight.filter((x) => x.answerAt <= clock.now())) {
          await f.gate.settle(f.key, clock.now());
          inFlight.splice(inFlight.indexOf(f), 1);
        }
        // A backlog on both instances: each reserves whatever the gate allows.
        for (const gate of [a, b]) {
          for (;;) {
            const key = `job${next}`;
            if ((await gate.tryAcquire(key)) > 0) break;
            next += 1;
            // The event loop may be blocked for up to 20 s before the request leaves, and the
            // answer takes up to 5 s more: MiniMax counts it somewhere in between.
            const arrival = clock.now() + random() * 20_000;
            arrivals.push(arrival);
            inFlight.push({ gate, key, answerAt: arrival + random() * 5_000 });
          }
        }
        await clock.advance(Math.ceil(random() * 2_000));
      }
      expect(maxInWindow(arrivals, 60_000)).toBeLessThanOrEqual(perMinute);
      // A cycle is at most one window plus 25 s of lag and answer: 10 minutes hold 7 of them.
      expect(arrivals.length).toBeGreaterThanOrEqual(7 * perMinute);
    });
  });
}
