import { afterEach, describe, expect, it } from 'vitest';
import { AppStack } from '../faults/app-stack.js';

const MB = 1_048_576;

/**
 * Issue #12, disk full: with DATA_DIR below MIN_FREE_DISK_MB new requests get one sentence and a
 * metric, the job already rendering still finishes, and /readyz says why.
 */
describe('disk guard', () => {
  let stack: AppStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('refuses new videos while DATA_DIR is nearly full, and finishes the running one', async () => {
    let freeBytes = 10_000 * MB;
    stack = await AppStack.start({
      env: { MIN_FREE_DISK_MB: '100', METRICS_TOKEN: 'metrics-token-0123456789' },
      timelineMs: { preparing: 20, queueing: 20, processing: 3_000 },
      freeSpace: async () => freeBytes,
    });
    const fake = stack.slack!;
    await fake.slashCommand({ text: 'a lighthouse before the disk fills' });
    const running = await stack.waitForJob(() => true, ['generating']);

    freeBytes = 40 * MB;
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the guard's 1 s reading
    const mark = fake.recorder.calls.length;
    const creates = stack.sim.creates().length;
    await fake.slashCommand({ text: 'a lighthouse after the disk filled' });
    const answer = await fake.recorder.waitFor(
      (c) => c.method === 'response_url' && fake.recorder.calls.indexOf(c) >= mark,
      5_000,
      'the refusal',
    );
    expect(answer.args.text).toBe(
      'The bot is short of disk space and is not taking new videos right now; please try again later.',
    );
    expect(stack.sim.creates().length).toBe(creates);
    expect((await stack.app.store.get(running.id))?.state).toBe('generating');

    const done = await stack.waitForJob((j) => j.id === running.id, undefined, 15_000);
    expect(done.state).toBe('done');

    const url = stack.app.server!.url!;
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not ready',
      reason: 'low disk space in DATA_DIR: 40 MB free, MIN_FREE_DISK_MB is 100',
    });
    const metrics = await fetch(`${url}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(await metrics.text()).toMatch(/requests_refused_total\{reason="disk_low"\} 1\b/);

    freeBytes = 10_000 * MB;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
