import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../src/backend/create-backend.js';
import type { QueueEntry } from '../../src/core/scheduler/task-scheduler.js';
import { backendCases } from './backends.js';

const cases = await backendCases('sched-conf');

const entry = (jobId: string, user = jobId): QueueEntry => ({
  jobId,
  userKey: `cli:${user}`,
  channelKey: 'cli:c1',
  createdAt: Date.now(),
});

/** A dispatch that holds each job until the test finishes it, recording what ran and when. */
class Runs {
  readonly started: string[] = [];
  running = 0;
  maxRunning = 0;
  private readonly finishers = new Map<string, () => void>();

  readonly dispatch = (jobId: string): Promise<void> => {
    this.started.push(jobId);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return new Promise((resolve) => {
      this.finishers.set(jobId, () => {
        this.running--;
        resolve();
      });
    });
  };

  finish(jobId: string): void {
    this.finishers.get(jobId)?.();
    this.finishers.delete(jobId);
  }

  finishAll(): void {
    for (const jobId of [...this.finishers.keys()]) this.finish(jobId);
  }
}

describe.each(cases)('TaskScheduler conformance: $name backend', (c) => {
  let backend: Backend | undefined;
  let runs: Runs;
  afterEach(async () => {
    runs?.finishAll();
    await backend?.scheduler.stop();
    await backend?.close();
    backend = undefined;
  });

  async function started(maxActive: number): Promise<Backend> {
    backend = await c.open({ MAX_ACTIVE_JOBS: String(maxActive) });
    runs = new Runs();
    await backend.scheduler.start(runs.dispatch);
    return backend;
  }

  it.skipIf(!c.available)(
    'dispatches every enqueued job once, never more than MAX_ACTIVE_JOBS at once',
    async () => {
      const { scheduler } = await started(2);
      const ids = ['a', 'b', 'c', 'd', 'e'].map((x) => `${c.name}-${x}-${Date.now()}`);
      for (const id of ids) await scheduler.enqueue(entry(id));
      for (let done = 0; done < ids.length; done++) {
        await vi.waitFor(() => expect(runs.started.length).toBeGreaterThan(done), {
          timeout: 5_000,
        });
        await new Promise((r) => setTimeout(r, 30));
        expect(runs.running).toBeLessThanOrEqual(2);
        runs.finish(runs.started[done]!);
      }
      await vi.waitFor(() => expect([...runs.started].sort()).toEqual([...ids].sort()));
      expect(runs.maxRunning).toBe(2);
    },
  );

  it.skipIf(!c.available)(
    'takes a waiting job out on remove, so it is never dispatched',
    async () => {
      const { scheduler } = await started(1);
      const [first, second, third] = ['1', '2', '3'].map((x) => `${c.name}-rm-${x}-${Date.now()}`);
      await scheduler.enqueue(entry(first!));
      await vi.waitFor(() => expect(runs.started).toEqual([first]));
      await scheduler.enqueue(entry(second!));
      await scheduler.enqueue(entry(third!));
      expect(await scheduler.remove(second!)).toBe(true);
      expect(await scheduler.remove(second!)).toBe(false);
      runs.finish(first!);
      await vi.waitFor(() => expect(runs.started).toEqual([first, third]));
      runs.finish(third!);
      await new Promise((r) => setTimeout(r, 200));
      expect(runs.started).toEqual([first, third]);
    },
  );

  it.skipIf(!c.available)(
    'numbers the waiting jobs from 1 in the order they will run',
    async () => {
      const { scheduler } = await started(1);
      const [busy, next, last] = ['busy', 'next', 'last'].map(
        (x) => `${c.name}-pos-${x}-${Date.now()}`,
      );
      await scheduler.enqueue(entry(busy!));
      await vi.waitFor(() => expect(runs.started).toEqual([busy]));
      await scheduler.enqueue(entry(next!, 'u2'));
      await scheduler.enqueue(entry(last!, 'u3'));
      await vi.waitFor(async () =>
        expect([...(await scheduler.positions())]).toEqual([
          [next, 1],
          [last, 2],
        ]),
      );
    },
  );

  it.skipIf(!c.available)(
    'continues a recovered job exactly once, here or through dispatch',
    async () => {
      const { scheduler } = await started(2);
      const id = `${c.name}-rec-${Date.now()}`;
      const continued: string[] = [];
      await scheduler.recover(entry(id), async () => {
        continued.push(id);
      });
      await vi.waitFor(() => expect([...continued, ...runs.started]).toEqual([id]), {
        timeout: 5_000,
      });
      await new Promise((r) => setTimeout(r, 200));
      expect([...continued, ...runs.started]).toEqual([id]);
    },
  );
});
