import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/core/config.js';
import { createEngine } from '../../../src/core/engine/create-engine.js';
import { createSimulator } from '../../../src/simulator/index.js';
import type { Simulator } from '../../../src/simulator/sim-types.js';
import { originOf, silentLogger } from './engine-harness.js';

describe('createEngine', () => {
  let sim: Simulator | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await sim?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    sim = undefined;
    dataDir = undefined;
  });

  it('builds a working engine from configuration alone, with its store in DATA_DIR', async () => {
    sim = await createSimulator({
      apiKey: 'sim-test-key',
      timelineMs: { preparing: 5, queueing: 5, processing: 20 },
    });
    dataDir = await mkdtemp(join(tmpdir(), 'create-engine-'));
    const config = loadConfig({
      MINIMAX_API_KEY: sim.apiKey,
      MINIMAX_BASE_URL: sim.url,
      DATA_DIR: dataDir,
      POLL_MIN_S: '0.01',
      POLL_MAX_S: '0.03',
    });
    const { engine, close } = await createEngine(config, { logger: silentLogger });
    try {
      await engine.start();
      const job = await engine.submit({ prompt: 'from config' }, originOf());
      const done = await new Promise<string>((resolve) => {
        engine.onProgress((e) => {
          if (e.jobId === job.id && e.kind === 'state' && e.state !== 'queued') {
            if (['done', 'failed', 'expired'].includes(e.state)) resolve(e.state);
          }
        });
      });
      expect(done).toBe('done');
      expect((await stat(join(dataDir, 'videos', `${job.id}.mp4`))).size).toBeGreaterThan(0);
      expect((await stat(join(dataDir, 'bot.sqlite'))).isFile()).toBe(true);
    } finally {
      await close();
    }
  });

  it('refuses to build an engine without MINIMAX_API_KEY', async () => {
    const config = loadConfig({ STORE_URL: 'memory://' });
    await expect(createEngine(config, { logger: silentLogger })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });
});
