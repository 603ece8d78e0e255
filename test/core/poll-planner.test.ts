import { describe, expect, it } from 'vitest';
import {
  CALLBACK_SAFETY_MAX_MS,
  nextPollDelayMs,
  plannedPollTimesMs,
  pollGapMs,
} from '../../src/core/poll-planner.js';

const MIN = 5_000;
const MAX = 30_000;
const base = { pollMinMs: MIN, pollMaxMs: MAX };

/** mulberry32: a small seeded PRNG so the simulation is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface SimJob {
  expectedMs: number;
  actualMs: number;
}

/** Expected times of the research priors; actual = expected × log-normal, ~95 % within 0.7–1.4. */
function jobMix(count: number, random: () => number, bias = 1): SimJob[] {
  const expected = [114_000, 120_000, 150_000, 234_000, 240_000, 270_000];
  return Array.from({ length: count }, () => {
    const expectedMs = expected[Math.floor(random() * expected.length)]!;
    const factor = Math.min(1.6, Math.max(0.6, Math.exp(0.175 * gaussian(random))));
    return { expectedMs, actualMs: expectedMs * factor * bias };
  });
}

function simulate(jobs: SimJob[], gapOf: (elapsedMs: number, job: SimJob) => number) {
  let queries = 0;
  const delays: number[] = [];
  for (const job of jobs) {
    let t = 0;
    for (;;) {
      t += gapOf(t, job);
      queries += 1;
      if (t >= job.actualMs) break;
    }
    delays.push(t - job.actualMs);
  }
  const sorted = [...delays].sort((a, b) => a - b);
  return {
    queriesPerJob: queries / jobs.length,
    medianDelayMs: median(delays),
    p95DelayMs: sorted[Math.floor(sorted.length * 0.95)]!,
  };
}

describe('nextPollDelayMs', () => {
  it('polls sparsely before 60 % of the expected time, densely at the finish, every 10 s otherwise', () => {
    const at = (elapsedMs: number) => nextPollDelayMs({ ...base, elapsedMs, expectedMs: 150_000 });
    expect(at(0)).toBe(MAX);
    expect(at(60_000)).toBe(MAX);
    // The sparse start ends exactly at 60 % (90 s): no gap jumps past it.
    expect(at(80_000)).toBe(10_000);
    expect(at(95_000)).toBe(10_000);
    expect(at(120_000)).toBeGreaterThan(MIN);
    expect(at(120_000)).toBeLessThan(10_000);
    expect(at(150_000)).toBe(MIN);
    expect(at(165_000)).toBeLessThan(10_000);
    // Long after the expected finish: never slower than fixed 10 s polling.
    expect(at(600_000)).toBe(10_000);
  });

  it('finds a task that ends earlier than expected (70 %) within about 10 s', () => {
    const times = plannedPollTimesMs(
      { ...base, expectedMs: 200_000, random: () => 0.999 },
      140_000,
    );
    expect(times.at(-1)! - 140_000).toBeLessThanOrEqual(10_000);
  });

  it('never goes below the minimum or above the maximum gap, whatever the inputs', () => {
    const random = seeded(7);
    for (let i = 0; i < 2_000; i++) {
      const delay = nextPollDelayMs({
        ...base,
        elapsedMs: random() * 1_000_000,
        expectedMs: random() < 0.05 ? 0 : random() * 500_000,
        consecutiveErrors: Math.floor(random() * 40),
        callbacksEnabled: random() < 0.3,
        random,
      });
      expect(delay).toBeGreaterThanOrEqual(MIN);
      expect(delay).toBeLessThanOrEqual(MAX);
    }
  });

  it('stays at the maximum gap when callbacks carry the fast path', () => {
    for (const elapsedMs of [0, 100_000, 150_000, 400_000]) {
      const delay = nextPollDelayMs({
        ...base,
        elapsedMs,
        expectedMs: 150_000,
        callbacksEnabled: true,
      });
      expect(delay).toBe(MAX);
    }
  });

  it('stretches the safety net past the maximum once callbacks are proven to arrive', () => {
    const delay = (elapsedMs: number, expectedMs: number, consecutiveErrors = 0) =>
      nextPollDelayMs({
        ...base,
        elapsedMs,
        expectedMs,
        callbacksEnabled: true,
        callbacksProven: true,
        consecutiveErrors,
      });
    // First look at the expected finish, then at twice the elapsed time.
    expect(delay(0, 240_000)).toBe(240_000);
    expect(delay(240_000, 240_000)).toBe(240_000);
    expect(delay(0, 20_000)).toBe(MAX);
    expect(delay(3_600_000, 240_000)).toBe(CALLBACK_SAFETY_MAX_MS);
    // A failing query falls back to ordinary bounded polling.
    expect(delay(0, 240_000, 1)).toBe(MAX);
  });

  it('needs at most three queries per task with proven callbacks when the task ends by 3.9x the estimate', () => {
    const expectedMs = 240_000;
    for (const finishMs of [0.7, 1, 1.9, 3.9].map((f) => f * expectedMs)) {
      let t = 0;
      let queries = 0;
      for (;;) {
        const next =
          t +
          nextPollDelayMs({
            ...base,
            elapsedMs: t,
            expectedMs,
            callbacksEnabled: true,
            callbacksProven: true,
          });
        // The callback at finishMs triggers one query and ends the task.
        if (next >= finishMs) break;
        t = next;
        queries += 1;
      }
      expect(queries + 1).toBeLessThanOrEqual(3);
    }
  });

  it('doubles the gap after each failed query, up to the maximum', () => {
    const at = (consecutiveErrors: number) =>
      nextPollDelayMs({ ...base, elapsedMs: 150_000, expectedMs: 150_000, consecutiveErrors });
    expect([0, 1, 2, 3].map(at)).toEqual([MIN, 2 * MIN, 4 * MIN, MAX]);
  });

  it('spreads tasks created together with a little jitter', () => {
    const at = (r: number) =>
      nextPollDelayMs({ ...base, elapsedMs: 120_000, expectedMs: 150_000, random: () => r });
    expect(at(0)).toBeLessThan(at(0.5));
    expect(at(0.5)).toBeLessThan(at(0.999));
    expect(at(0.999) / at(0)).toBeLessThan(1.25);
  });

  it('subtracts the time already waited since the last query', () => {
    const input = { ...base, elapsedMs: 150_000, expectedMs: 150_000 };
    expect(nextPollDelayMs({ ...input, sinceLastQueryMs: 2_000 })).toBe(MIN - 2_000);
    expect(nextPollDelayMs({ ...input, sinceLastQueryMs: 60_000 })).toBe(0);
  });
});

describe('poll planner over a realistic mix of jobs', () => {
  const random = seeded(20_250_611);
  const jobs = jobMix(1_000, random);
  const fixed10 = simulate(jobs, () => 10_000);
  const planned = simulate(jobs, (elapsedMs, job) =>
    pollGapMs({ ...base, elapsedMs, expectedMs: job.expectedMs, random }),
  );

  it('makes at most 80 % of the queries of fixed 10 s polling', () => {
    expect(planned.queriesPerJob / fixed10.queriesPerJob).toBeLessThanOrEqual(0.8);
  });

  it('detects a finished task within 70 % of the median delay of fixed 10 s polling', () => {
    expect(planned.medianDelayMs / fixed10.medianDelayMs).toBeLessThanOrEqual(0.7);
  });

  it('is never slower than fixed 10 s polling at the 95th percentile', () => {
    expect(planned.p95DelayMs).toBeLessThanOrEqual(fixed10.p95DelayMs);
  });

  it('still beats fixed 10 s polling on queries, and roughly matches its delay, when every job runs 1.5 times longer than expected', () => {
    const late = jobMix(1_000, seeded(99), 1.5);
    const fixed = simulate(late, () => 10_000);
    const ours = simulate(late, (elapsedMs, job) =>
      pollGapMs({ ...base, elapsedMs, expectedMs: job.expectedMs, random }),
    );
    expect(ours.queriesPerJob).toBeLessThan(fixed.queriesPerJob);
    expect(ours.medianDelayMs).toBeLessThanOrEqual(fixed.medianDelayMs);
    expect(ours.p95DelayMs).toBeLessThanOrEqual(fixed.p95DelayMs);
  });

  it('lists the planned queries up to the one that sees the task finished', () => {
    const times = plannedPollTimesMs({ ...base, expectedMs: 150_000 }, 150_000);
    expect(times.at(-1)).toBeGreaterThanOrEqual(150_000);
    expect(times.at(-2)).toBeLessThan(150_000);
    expect(times[0]).toBe(MAX);
  });
});
