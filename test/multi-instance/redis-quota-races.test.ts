import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/sim-types.js';
import {
  deleteNamespace,
  REDIS_URL,
  redisAvailable,
  uniqueNamespace,
} from '../core/scheduler/redis-test-env.js';
import { InstanceProcess } from './instance-process.js';

const available = await redisAvailable();

/**
 * Two bot processes on one Redis take 50 submits at once, 25 each, interleaved: the quota
 * ledger's Lua script makes exactly the limit get through, whichever instance took them.
 */
describe.skipIf(!available)('quotas across two instances on one Redis', { timeout: 60_000 }, () => {
  let sim: Simulator | undefined;
  let instances: InstanceProcess[] = [];
  let namespace = '';
  let dataDir = '';

  afterEach(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    instances = [];
    await sim?.stop();
    const redis = new Redis(REDIS_URL);
    await deleteNamespace(redis, namespace);
    await redis.quit();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function burst(
    env: Record<string, string>,
    who: (i: number) => { userId: string; workspaceId: string },
  ) {
    // Tasks stay in Processing: every accepted job is still in progress when the burst is judged.
    sim = await createSimulator({
      apiKey: 'sim-quota-multi',
      timelineMs: { preparing: 10, queueing: 10, processing: 600_000 },
    });
    namespace = uniqueNamespace('quota-multi');
    dataDir = await mkdtemp(join(tmpdir(), 'quota-multi-'));
    instances = await Promise.all(
      ['a', 'b'].map((name) =>
        InstanceProcess.start(name, {
          MINIMAX_API_KEY: sim!.apiKey,
          MINIMAX_BASE_URL: sim!.url,
          STORE_URL: REDIS_URL,
          DATA_DIR: dataDir,
          MAX_ACTIVE_JOBS: '100',
          MINIMAX_RPM: '1000',
          TEST_NAMESPACE: namespace,
          ...env,
        }),
      ),
    );
    for (let i = 0; i < 50; i++) {
      instances[i % 2]!.submit(`burst ${i}`, who(i).userId, { platform: 'discord', ...who(i) });
    }
    const answered = () =>
      instances.reduce((n, x) => n + x.submitted().length + x.refused().length, 0);
    await vi.waitFor(() => expect(answered()).toBe(50), { timeout: 20_000 });
    return {
      accepted: instances.flatMap((x) => x.submitted()).length,
      codes: [...new Set(instances.flatMap((x) => x.refused()))],
    };
  }

  it('lets exactly USER_DAILY_LIMIT=3 of one user through', async () => {
    const outcome = await burst({ USER_DAILY_LIMIT: '3' }, () => ({
      userId: 'u-1',
      workspaceId: 'g-1',
    }));
    expect(outcome).toEqual({ accepted: 3, codes: ['user_daily_limit'] });
  });

  it('lets exactly TEAM_DAILY_LIMIT=3 of one server through', async () => {
    const outcome = await burst({ TEAM_DAILY_LIMIT: '3' }, (i) => ({
      userId: `u-${i}`,
      workspaceId: 'g-1',
    }));
    expect(outcome).toEqual({ accepted: 3, codes: ['team_daily_limit'] });
  });

  it('lets exactly DAILY_LIMIT=3 through across servers', async () => {
    const outcome = await burst({ DAILY_LIMIT: '3' }, (i) => ({
      userId: `u-${i}`,
      workspaceId: `g-${i % 7}`,
    }));
    expect(outcome).toEqual({ accepted: 3, codes: ['daily_limit'] });
  });

  it('lets exactly USER_MAX_ACTIVE=3 of one user run at once', async () => {
    const outcome = await burst({ USER_MAX_ACTIVE: '3' }, () => ({
      userId: 'u-1',
      workspaceId: 'g-1',
    }));
    expect(outcome).toEqual({ accepted: 3, codes: ['user_max_active'] });
  });
});
