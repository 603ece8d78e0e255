// The bot from the built JavaScript (dist/), as `npm start` runs it: no TypeScript loader in this
// process, so its memory and event-loop delay are what production would see. Driven by
// in-flight-dist.ts over IPC: submits `jobs` at once, waits until all are generating, then
// holds them in flight for `holdMs` while measuring.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../dist/config.js';
import { createApp } from '../../dist/main.js';

const options = JSON.parse(process.argv[2] ?? '{}');
// The bench kills its scenario process when it runs over budget: do not outlive it.
process.on('disconnect', () => process.exit(1));
const dataDir = await mkdtemp(join(tmpdir(), 'mvb-bench-dist-'));
const config = loadConfig({
  MINIMAX_API_KEY: options.apiKey,
  MINIMAX_BASE_URL: options.simUrl,
  DATA_DIR: dataDir,
  // No STORE_URL: the production default, SQLite in DATA_DIR.
  LOG_LEVEL: 'silent',
  ...options.env,
});
const app = await createApp(config, { httpServer: false });
await app.start();

for (let i = 0; i < 3; i++) {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 50));
}
const baselineRss = process.memoryUsage.rss();
let peakRss = baselineRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);

const generating = new Set();
let allGenerating;
const reached = new Promise((r) => {
  allGenerating = r;
});
app.service.onProgress((e) => {
  if (e.state === 'generating' && !generating.has(e.jobId)) {
    generating.add(e.jobId);
    if (generating.size === options.jobs || generating.size === submitted) allGenerating();
  }
});

const submitStart = performance.now();
let submitted = 0;
// Time-boxed, so a slow store shows up as a shortfall in the report rather than a killed run.
for (let i = 0; i < options.jobs; i += 500) {
  if (performance.now() - submitStart > options.submitLimitMs) break;
  const batch = Array.from({ length: Math.min(500, options.jobs - i) }, (_, k) =>
    app.service.submit(
      { prompt: `in-flight job ${i + k}: waves on a rocky shore`, model: 'MiniMax-Hailuo-2.3' },
      { platform: 'cli', userId: `user${(i + k) % 50}`, channelId: `chan${(i + k) % 20}`, ref: {} },
    ),
  );
  await Promise.all(batch);
  submitted += batch.length;
}
const submittedS = (performance.now() - submitStart) / 1000;
await Promise.race([reached, new Promise((r) => setTimeout(r, options.rampLimitMs))]);
const rampS = (performance.now() - submitStart) / 1000;

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const holdStartedAt = Date.now();
await new Promise((r) => setTimeout(r, options.holdMs));
loop.disable();
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
// What the jobs in flight hold, apart from the garbage of the burst: after a full collection.
globalThis.gc?.();
const settled = process.memoryUsage();
const result = {
  submitted,
  generating: generating.size,
  submittedS,
  rampS,
  baselineRss,
  peakRss,
  settledRss: settled.rss,
  settledHeap: settled.heapUsed,
  holdStartedAt,
  holdEndedAt: Date.now(),
  loopP50Ms: loop.percentile(50) / 1e6,
  loopP99Ms: loop.percentile(99) / 1e6,
  loopMaxMs: loop.max / 1e6,
};
await app.stop();
await rm(dataDir, { recursive: true, force: true });
process.send?.(result, () => process.exit(0));
