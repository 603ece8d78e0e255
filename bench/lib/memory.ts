import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Samples RSS often enough to catch short peaks, and the event-loop delay histogram. */
export function startMemoryProbe(intervalMs = 20) {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  }, intervalMs);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  return {
    get peakRss() {
      return Math.max(peakRss, process.memoryUsage.rss());
    },
    stop() {
      clearInterval(timer);
      loop.disable();
      return {
        peakRss: Math.max(peakRss, process.memoryUsage.rss()),
        loopP50Ms: loop.percentile(50) / 1e6,
        loopP99Ms: loop.percentile(99) / 1e6,
        loopMaxMs: loop.max / 1e6,
      };
    },
  };
}

/** Collects garbage (needs --expose-gc) and lets RSS settle, for a fair baseline. */
export async function settle(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage.rss();
}
