import { type Clock, systemClock } from '../../src/core/clock.js';

/** A clock that runs `scale` times faster than the wall clock, so minutes of MiniMax time pass in seconds. */
export interface ScaledClock extends Clock {
  readonly scale: number;
  /** Converts a simulated duration into wall-clock ms. */
  realMs(simMs: number): number;
}

export function createScaledClock(scale: number, startAt = Date.now()): ScaledClock {
  const realStart = performance.now();
  return {
    scale,
    now: () => startAt + (performance.now() - realStart) * scale,
    realMs: (simMs) => simMs / scale,
    // The same abortable, unref'd sleep as the real clock, just shorter.
    sleep: (ms, signal) => systemClock.sleep(Math.max(0, ms / scale), signal),
  };
}
