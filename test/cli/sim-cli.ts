import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';

const API_KEY = 'test-simulator-key';

/**
 * A fast simulator and a temp directory for CLI runs in one file, started before its tests and
 * stopped after them; `env()` is what the CLI needs to reach them.
 */
export function useSimulatorCli(prefix: string) {
  const state: { sim?: Simulator; dir?: string } = {};
  beforeAll(async () => {
    state.sim = await createSimulator({
      apiKey: API_KEY,
      timelineMs: { preparing: 20, queueing: 20, processing: 60 },
    });
    state.dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await state.sim?.stop();
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
  });
  return {
    get sim(): Simulator {
      return state.sim!;
    },
    get dir(): string {
      return state.dir!;
    },
    env: () => ({
      MINIMAX_BASE_URL: state.sim!.url,
      MINIMAX_API_KEY: API_KEY,
      DATA_DIR: join(state.dir!, 'data'),
      POLL_MIN_S: '0.05',
      POLL_MAX_S: '0.2',
    }),
  };
}
