import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { createMemoryQueryGate } from '../../../src/core/scheduler/query-gate.js';
import { createRedisQueryGate } from '../../../src/core/scheduler/redis-query-gate.js';
import { silentLogger } from '../engine/engine-harness.js';
import { queryGateConformance } from './query-gate.conformance.js';
import { deleteNamespace, REDIS_URL, redisAvailable, uniqueNamespace } from './redis-test-env.js';

queryGateConformance('in-process query gate', async ({ perSecond, clock }) => {
  const gate = createMemoryQueryGate(perSecond, clock);
  return { a: gate, b: gate };
});

const available = await redisAvailable();

describe.skipIf(!available)('on Redis', () => {
  const redis = new Redis(REDIS_URL);
  const namespaces: string[] = [];
  afterAll(async () => {
    for (const ns of namespaces) await deleteNamespace(redis, ns);
    await redis.quit();
  });

  queryGateConformance('Redis query gate, two instances', async ({ perSecond, clock }) => {
    const namespace = uniqueNamespace('qgate');
    namespaces.push(namespace);
    const make = () =>
      createRedisQueryGate({ redis, perSecond, clock, logger: silentLogger, namespace });
    return { a: make(), b: make() };
  });
});
