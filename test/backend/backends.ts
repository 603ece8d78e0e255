import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import {
  type Backend,
  type BackendOptions,
  createBackend,
} from '../../src/backend/create-backend.js';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../core/engine/engine-harness.js';
import {
  deleteNamespace,
  REDIS_URL,
  redisAvailable,
  uniqueNamespace,
} from '../core/scheduler/redis-test-env.js';

export interface BackendCase {
  name: 'embedded' | 'redis';
  /** False when the local Redis is not running (the suite then says it skipped). */
  available: boolean;
  /**
   * A backend as createApp builds it, from these settings. Backends opened with the same
   * `shared` label share their state (Redis namespace); each other call gets a fresh one.
   */
  open(env?: Record<string, string>, shared?: string): Promise<Backend>;
}

/**
 * The two backends a port's conformance suite runs against, both built by createBackend from
 * STORE_URL exactly as createApp does: `memory://` and the local Redis (own namespace per file).
 */
export async function backendCases(label: string): Promise<BackendCase[]> {
  const available = await redisAvailable();
  const namespaces = new Map<string, string>();
  afterAll(async () => {
    if (!available || namespaces.size === 0) return;
    const redis = new Redis(REDIS_URL);
    for (const namespace of namespaces.values()) await deleteNamespace(redis, namespace);
    await redis.quit();
  });
  const namespaceOf = (shared: string | undefined) => {
    const key = shared ?? `#${namespaces.size}`;
    const namespace = namespaces.get(key) ?? uniqueNamespace(label);
    namespaces.set(key, namespace);
    return namespace;
  };
  const open =
    (storeUrl: string, options: (shared?: string) => BackendOptions) =>
    (env: Record<string, string> = {}, shared?: string) =>
      createBackend(loadConfig({ STORE_URL: storeUrl, MINIMAX_RPM: '1000', ...env }), {
        logger: silentLogger,
        clock: systemClock,
        ...options(shared),
      });
  return [
    { name: 'embedded', available: true, open: open('memory://', () => ({})) },
    {
      name: 'redis',
      available,
      open: open(REDIS_URL, (shared) => ({
        namespace: namespaceOf(shared),
        queueTuning: { positionsRefreshMs: 50, closeGraceMs: 1_000 },
      })),
    },
  ];
}
