import { describe, expect, it } from 'vitest';
import { originOf, timeCreates, useEngineHarness } from './engine-harness.js';
import { driveUntil, FakeClock } from './fake-clock.js';

describe('JobEngine failures', () => {
  const harness = useEngineHarness();

  it('marks a task that ends in Fail as failed with a plain message', async () => {
    const h = await harness();
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a storm [[fail]]' }, originOf());
    const failed = await h.waitFor(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.userMessage).toMatch(/could not generate this video/);
    expect(h.sim.creates()).toHaveLength(1);
  });

  it('fails a prompt rejected by moderation (1026) without retrying the create', async () => {
    const h = await harness();
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'something [[moderation]]' }, originOf());
    const failed = await h.waitFor(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('minimax_input_moderation');
    expect(failed.error?.userMessage).toMatch(/content moderation/);
    expect(h.sim.creates()).toHaveLength(1);
    expect(failed.taskId).toBeUndefined();
  });

  it('fails a video blocked by output moderation (1027) with that reason', async () => {
    const h = await harness();
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'beach [[output-moderation]]' }, originOf());
    const failed = await h.waitFor(job.id);
    expect(failed.error?.userMessage).toMatch(/generated video was blocked/);
  });

  it('does not resend a create whose answer was lost, and says the outcome is unknown', async () => {
    const h = await harness();
    h.sim.inject({ route: 'create', kind: 'drop', afterCreate: true });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a lighthouse' }, originOf());
    const failed = await h.waitFor(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('create_outcome_unknown');
    expect(failed.error?.userMessage).toMatch(
      /connection to MiniMax broke.*unknown whether the video was started/,
    );
    expect(failed.error?.userMessage).toMatch(/nothing was resubmitted/);
    expect(h.sim.creates()).toHaveLength(1);
    expect(h.sim.tasks.size).toBe(1);
  });

  it('does not resend a create that timed out', async () => {
    const h = await harness({ env: { MINIMAX_TIMEOUT_S: '0.2' } });
    h.sim.inject({ route: 'create', kind: 'delay', ms: 1_000, afterCreate: true });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a lighthouse' }, originOf());
    const failed = await h.waitFor(job.id);
    expect(failed.error?.code).toBe('create_outcome_unknown');
    expect(failed.error?.userMessage).toMatch(/did not answer in time.*nothing was resubmitted/);
    expect(h.sim.creates()).toHaveLength(1);
  });

  it('retries a create refused with 1002 after a backoff and makes exactly one task', async () => {
    const clock = new FakeClock();
    const { createdAt, wrapClient } = timeCreates(clock);
    const h = await harness({
      clock,
      wrapClient,
      env: { POLL_MIN_S: '1', POLL_MAX_S: '5' },
    });
    h.sim.inject({ route: 'create', kind: 'base_resp', code: 1002 });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a kite' }, originOf());
    let state = '';
    h.engine.onProgress((e) => {
      if (e.jobId === job.id) state = e.state;
    });
    await driveUntil(clock, () => state === 'done' || state === 'failed');
    expect(state).toBe('done');
    expect(createdAt).toHaveLength(2);
    // CREATE_BACKOFF starts at 5 s; jitter 0.5 removes 10 % of it.
    expect(createdAt[1]! - createdAt[0]!).toBeGreaterThanOrEqual(4_500);
    expect(h.sim.tasks.size).toBe(1);
    const stored = await h.engine.get(job.id);
    expect(stored?.createAttempts).toBe(1);
  });

  it('fetches a fresh link when the download URL has expired', async () => {
    const h = await harness();
    h.sim.inject({ route: 'download', kind: 'expired_url' });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a fox' }, originOf());
    const done = await h.waitFor(job.id);
    expect(done.state).toBe('done');
    expect(h.sim.requests.filter((r) => r.route === 'retrieve')).toHaveLength(2);
  });

  it('expires a job whose task does not finish within JOB_TIMEOUT_S', async () => {
    const clock = new FakeClock();
    const h = await harness({
      clock,
      sim: { timelineMs: { preparing: 10, queueing: 10, processing: 600_000 } },
      env: { JOB_TIMEOUT_S: '60', POLL_MIN_S: '5', POLL_MAX_S: '30' },
    });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a slow river' }, originOf());
    let state = '';
    h.engine.onProgress((e) => {
      if (e.jobId === job.id) state = e.state;
    });
    await driveUntil(clock, () => state === 'expired' || state === 'failed' || state === 'done');
    expect(state).toBe('expired');
    const expired = await h.engine.get(job.id);
    expect(expired?.error?.userMessage).toMatch(/did not finish the video within 1 minutes/);
    expect(expired!.pollCount).toBeGreaterThan(1);
  });

  it('rides out a few failed and rate-limited queries', async () => {
    const h = await harness();
    h.sim.inject({ route: 'query', kind: 'http', status: 502, times: 2 });
    h.sim.inject({ route: 'query', kind: 'base_resp', code: 1002, times: 2 });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'bumpy' }, originOf());
    expect((await h.waitFor(job.id)).state).toBe('done');
  });

  it('fails a job whose queries keep failing, with the last error in plain words', async () => {
    const h = await harness();
    h.sim.inject({ route: 'query', kind: 'http', status: 502, times: Number.POSITIVE_INFINITY });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'down' }, originOf());
    const failed = await h.waitFor(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.userMessage).toMatch(/MiniMax is having trouble/);
    expect(h.sim.queries()).toHaveLength(5);
    expect(h.sim.creates()).toHaveLength(1);
  });

  it('stops a job at once when a status query says the API key was rejected (1004)', async () => {
    const h = await harness();
    h.sim.inject({
      route: 'query',
      kind: 'base_resp',
      code: 1004,
      times: Number.POSITIVE_INFINITY,
    });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'revoked key' }, originOf());
    const failed = await h.waitFor(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('minimax_auth');
    expect(failed.error?.userMessage).toMatch(/^MiniMax rejected the API key; check the key/);
    // Asking again cannot help: the simulator saw exactly one status query.
    expect(h.sim.queries()).toHaveLength(1);
    expect(h.sim.creates()).toHaveLength(1);
  });
});
