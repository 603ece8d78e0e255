import type { Clock } from '../../src/core/clock.js';

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
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.max(0, ms / scale),
        );
        timer.unref();
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
