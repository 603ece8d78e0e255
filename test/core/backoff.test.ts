import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/core/backoff.js';

describe('backoffDelayMs', () => {
  const policy = { baseMs: 1_000, maxMs: 10_000, jitterRatio: 0.2 };

  it('doubles the delay with each attempt up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, policy, 0))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('removes at most the jitter share of the delay', () => {
    expect(backoffDelayMs(2, policy, 0.5)).toBe(1_800);
    expect(backoffDelayMs(2, policy, 0.999_999)).toBe(1_600);
  });
});
