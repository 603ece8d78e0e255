import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { afterEach, describe, expect, it } from 'vitest';
import { openJobStore } from '../../../src/backend/open-job-store.js';
import { describeJobStoreConformance, makeJob } from './job-store.conformance.js';

// Tests get their Redis from the environment by design (SPEC §4); src/ never reads process.env.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function isReachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(500);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function deleteNamespace(url: string, namespace: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${namespace}::*`, COUNT: 500 })) {
    keys.push(...batch);
  }
  if (keys.length > 0) await client.del(keys);
  await client.close();
}

describeJobStoreConformance('memory', () => {
  // memory:// has no shared data, so every open() of one harness must return the same store.
  let single: ReturnType<typeof openJobStore> | undefined;
  return {
    open: () => {
      single ??= openJobStore('memory://');
      return single;
    },
    durable: false,
    shared: false,
    cleanup: async () => {},
  };
});

describeJobStoreConformance('sqlite', () => {
  const dir = mkdtemp(join(tmpdir(), 'mvb-store-'));
  return {
    open: async () => openJobStore(`sqlite://${join(await dir, 'nested', 'bot.sqlite')}`),
    durable: true,
    shared: false,
    cleanup: async () => rm(await dir, { recursive: true, force: true }),
  };
});

const redisUp = await isReachable(REDIS_URL);
if (!redisUp) console.warn(`skipping Redis tests: no Redis at ${REDIS_URL}`);
const runId = randomUUID().slice(0, 8);
let harnessSeq = 0;

// Without Redis the real suite is listed as skipped, test by test, rather than replaced by a stub.
describe.skipIf(!redisUp)(
  `JobStore on Redis${redisUp ? '' : ` (skipped: no Redis at ${REDIS_URL})`}`,
  () => {
    describeJobStoreConformance('redis', () => {
      harnessSeq += 1;
      const namespace = `mvb-test-${runId}-${harnessSeq}`;
      return {
        open: () => openJobStore(REDIS_URL, { namespace }),
        durable: true,
        shared: true,
        cleanup: () => deleteNamespace(REDIS_URL, namespace),
      };
    });
  },
);

describe('openJobStore', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('creates the parent directory of the SQLite file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mvb-store-'));
    dirs.push(dir);
    const file = join(dir, 'a', 'b', 'bot.sqlite');
    const store = await openJobStore(`sqlite://${file}`);
    await store.save(makeJob());
    await store.close();
    expect(existsSync(file)).toBe(true);
  });

  it('refuses an unknown store scheme', async () => {
    await expect(openJobStore('mongodb://x')).rejects.toThrow(/sqlite:\/\/, redis:\/\//);
  });

  it('fails at start when Redis cannot be reached', async () => {
    await expect(openJobStore('redis://127.0.0.1:1')).rejects.toThrow();
  });
});
