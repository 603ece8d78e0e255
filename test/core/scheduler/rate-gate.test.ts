import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { CreateWindowGate } from '../../../src/core/scheduler/rate-gate.js';
import { RedisRateGate } from '../../../src/core/scheduler/redis-rate-gate.js';
import { silentLogger } from '../engine/engine-harness.js';
import { rateGateConformance } from './rate-gate.conformance.js';
import { deleteNamespace, REDIS_URL, redisAvailable, uniqueNamespace } from './redis-test-env.js';

rateGateConformance('CreateWindowGate', async (options) => {
  const gate = new CreateWindowGate(options);
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

  rateGateConformance('RedisRateGate, two instances', async (options) => {
    const namespace = uniqueNamespace('gate');
    namespaces.push(namespace);
    const make = () => new RedisRateGate({ redis, logger: silentLogger, namespace, ...options });
    return { a: make(), b: make() };
  });
});
