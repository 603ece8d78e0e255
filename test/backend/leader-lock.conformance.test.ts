import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/create-backend.js';
import type { LeaderLock } from '../../src/core/leader-lock.js';
import { backendCases } from './backends.js';

const cases = await backendCases('leader-conf');

describe.each(cases)('LeaderLock conformance: $name backend', (c) => {
  const backends: Backend[] = [];
  const locks: LeaderLock[] = [];
  afterEach(async () => {
    for (const lock of locks.splice(0)) await lock.stop();
    for (const backend of backends.splice(0)) await backend.close();
  });

  /** A lock in its own backend (as in its own process); same `name` = same Redis namespace. */
  async function lockOf(name: string): Promise<LeaderLock> {
    const backend = await c.open({}, name);
    backends.push(backend);
    const lock = backend.leaderLock(name);
    locks.push(lock);
    return lock;
  }

  it.skipIf(!c.available)('makes a lone instance the leader once started', async () => {
    const lock = await lockOf(`alone-${Date.now()}`);
    await lock.start();
    expect(lock.isLeader()).toBe(true);
  });

  it.skipIf(!c.available)('can be started and stopped twice without harm', async () => {
    const lock = await lockOf(`twice-${Date.now()}`);
    await lock.start();
    await lock.start();
    await lock.stop();
    await lock.stop();
    const again = await lockOf(`twice-after-${Date.now()}`);
    await again.start();
    expect(again.isLeader()).toBe(true);
  });

  it.skipIf(!c.available)(
    'hands leadership on when the leader stops, where instances share state',
    async () => {
      const name = `handover-${Date.now()}`;
      const first = await lockOf(name);
      const second = await lockOf(name);
      await first.start();
      await second.start();
      const changes: boolean[] = [];
      second.onChange((leader) => changes.push(leader));
      if (c.name === 'embedded') {
        // Embedded is one process by definition: every lock leads.
        expect([first.isLeader(), second.isLeader()]).toEqual([true, true]);
        return;
      }
      expect([first.isLeader(), second.isLeader()]).toEqual([true, false]);
      await first.stop();
      // The next renewal tick (a third of the 15 s TTL) finds the key free.
      await expect.poll(() => second.isLeader(), { timeout: 8_000, interval: 100 }).toBe(true);
      expect(changes).toEqual([true]);
    },
  );
});
