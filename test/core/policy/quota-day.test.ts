import { describe, expect, it } from 'vitest';
import { formatWait, nextUtcMidnight, utcDay } from '../../../src/core/policy/quota-day.js';

describe('quota days', () => {
  it('keys a moment by its UTC day', () => {
    expect(utcDay(Date.UTC(2026, 2, 1, 23, 59))).toBe('2026-03-01');
  });

  it('finds the next 00:00 UTC', () => {
    expect(nextUtcMidnight(Date.UTC(2026, 2, 1, 18, 48))).toBe(Date.UTC(2026, 2, 2));
  });

  it('formats a wait in hours and minutes, rounded up', () => {
    expect(formatWait((5 * 60 + 11) * 60_000 + 1)).toBe('5 h 12 min');
    expect(formatWait(2 * 3_600_000)).toBe('2 h');
    expect(formatWait(30_000)).toBe('1 min');
  });
});
