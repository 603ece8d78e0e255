import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJobStore } from '../../src/backend/open-job-store.js';
import type { Clock } from '../../src/core/clock.js';
import {
  createDurationEstimator,
  DurationEstimator,
  durationKey,
  priorMs,
} from '../../src/core/duration-estimator.js';
import type { JobStore } from '../../src/core/jobs/job-store.js';

const logger = pino({ level: 'silent' });

function fakeClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async () => {},
    advance: (ms) => {
      now += ms;
    },
  };
}

const hailuo02 = { model: 'MiniMax-Hailuo-02', resolution: '768P', duration: 6 } as const;

describe('priorMs', () => {
  it('starts from the research averages', () => {
    expect(priorMs(hailuo02)).toBe(120_000);
    expect(priorMs({ ...hailuo02, resolution: '1080P' })).toBe(240_000);
    expect(priorMs({ model: 'T2V-01' })).toBe(234_000);
    expect(priorMs({ model: 'I2V-01' })).toBe(114_000);
    expect(priorMs({ model: 'MiniMax-Hailuo-2.3', resolution: '768P', duration: 6 })).toBe(150_000);
  });

  it('expects a 10 s clip to take longer than a 6 s one', () => {
    const six = priorMs({ model: 'MiniMax-Hailuo-2.3', duration: 6 });
    expect(priorMs({ model: 'MiniMax-Hailuo-2.3', duration: 10 })).toBeGreaterThan(six);
  });

  it('gives an unknown model a cautious default', () => {
    expect(priorMs({ model: 'Hailuo-9' })).toBe(180_000);
  });
});

describe('durationKey', () => {
  it('fills in the defaults MiniMax applies, so omitted and explicit defaults share a key', () => {
    expect(durationKey({ model: 'MiniMax-Hailuo-2.3' })).toBe(
      durationKey({ model: 'MiniMax-Hailuo-2.3', resolution: '768P', duration: 6 }),
    );
    expect(durationKey({ model: 'T2V-01' })).toBe('T2V-01|720P|6');
  });
});

describe('DurationEstimator', () => {
  let store: JobStore;
  let clock: ReturnType<typeof fakeClock>;
  beforeEach(async () => {
    store = await openJobStore('memory://');
    clock = fakeClock();
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers with the prior before anything is learned', async () => {
    const estimator = await createDurationEstimator({ store, clock, logger });
    expect(estimator.estimateMs(hailuo02)).toBe(120_000);
  });

  it('moves towards observed durations', async () => {
    const estimator = await createDurationEstimator({ store, clock, logger });
    for (let i = 0; i < 12; i++) await estimator.record(hailuo02, 200_000);
    const estimate = estimator.estimateMs(hailuo02);
    expect(estimate).toBeGreaterThan(190_000);
    expect(estimate).toBeLessThanOrEqual(200_000);
  });

  it('learns each model, resolution and duration separately', async () => {
    const estimator = await createDurationEstimator({ store, clock, logger });
    await estimator.record(hailuo02, 300_000);
    expect(estimator.estimateMs({ ...hailuo02, duration: 10 })).toBe(
      priorMs({ ...hailuo02, duration: 10 }),
    );
  });

  it('limits how far one stuck task can drag the estimate', async () => {
    const estimator = await createDurationEstimator({ store, clock, logger });
    await estimator.record(hailuo02, 5 * 3_600_000);
    expect(estimator.estimateMs(hailuo02)).toBeLessThanOrEqual(3 * 120_000);
  });

  it('ignores nonsense samples', async () => {
    const estimator = await createDurationEstimator({ store, clock, logger });
    await estimator.record(hailuo02, -5);
    await estimator.record(hailuo02, Number.NaN);
    expect(estimator.estimateMs(hailuo02)).toBe(120_000);
  });

  it('remembers what it learned across a restart', async () => {
    const first = await createDurationEstimator({ store, clock, logger });
    await first.record(hailuo02, 180_000);
    const learned = first.estimateMs(hailuo02);
    const second = await createDurationEstimator({ store, clock, logger });
    expect(second.estimateMs(hailuo02)).toBe(learned);
  });

  it('picks up what another instance learned once its cache is stale', async () => {
    const mine = await createDurationEstimator({ store, clock, logger, refreshMs: 60_000 });
    const theirs = await createDurationEstimator({ store, clock, logger });
    await theirs.record(hailuo02, 240_000);
    expect(mine.estimateMs(hailuo02)).toBe(120_000);
    clock.advance(61_000);
    mine.estimateMs(hailuo02);
    await new Promise((resolve) => setImmediate(resolve));
    expect(mine.estimateMs(hailuo02)).toBe(theirs.estimateMs(hailuo02));
  });

  it('keeps answering with the prior when the store fails', async () => {
    const broken = {
      getValue: async () => {
        throw new Error('store down');
      },
      setValue: async () => {},
    };
    const estimator = await createDurationEstimator({ store: broken, clock, logger });
    expect(estimator.estimateMs(hailuo02)).toBe(120_000);
    clock.advance(10 * 60_000);
    expect(new DurationEstimator({ store: broken, clock, logger }).estimateMs(hailuo02)).toBe(
      120_000,
    );
  });
});
