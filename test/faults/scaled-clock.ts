import { type Clock, systemClock } from '../../src/core/clock.js';

/**
 * A Clock that runs `factor` times faster than real time, starting at the real now: backoffs of
 * seconds (1002 retries, Retry-After, upload retries) take tens of milliseconds, while every
 * duration the bot computes stays consistent with its own notion of time.
 */
export function scaledClock(factor: number): Clock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * factor,
    sleep: (ms, signal) => systemClock.sleep(Math.max(0, ms / factor), signal),
  };
}
