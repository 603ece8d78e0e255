import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppStack } from './app-stack.js';
import { FaultTally } from './fault-tally.js';
import { scaledClock } from './scaled-clock.js';
import { runSlackScenario } from './slack-scenario.js';

/**
 * MiniMax misbehaving under the whole bot (createApp, Slack in Socket Mode, the simulator). Time
 * runs 10x fast so the bot's real backoffs (5 s after a 1002, 2 s between downloads) stay short.
 */
describe('MiniMax faults', () => {
  const tally = new FaultTally('MiniMax faults (test/faults/minimax-faults.test.ts)');
  let stack: AppStack;

  beforeAll(async () => {
    stack = await AppStack.start({
      clock: scaledClock(10),
      env: { MINIMAX_TIMEOUT_S: '0.5' },
    });
  });
  afterEach(() => stack.sim.clearFaults());
  afterAll(async () => {
    tally.print();
    await stack?.close();
  });

  const unknown =
    /nothing was resubmitted to avoid paying twice, so try again if no video arrives\.$/;

  it('tells the user when a create got a 5xx and does not send it again', async () => {
    const row = await runSlackScenario(stack, {
      name: 'create answered HTTP 500',
      prompts: ['five hundred on create'],
      minimax: [{ route: 'create', kind: 'http', status: 500, body: 'upstream error' }],
      expected: 'failed',
      message: unknown,
      tasksPerJob: 0,
      outcome: 'told: unknown whether started, not resent',
    });
    expect(
      stack.sim
        .creates()
        .filter((c) => (c.body as { prompt?: string }).prompt === 'five hundred on create'),
    ).toHaveLength(1);
    tally.add(row);
  });

  it('finishes a job whose status queries got 5xx answers', async () => {
    tally.add(
      await runSlackScenario(stack, {
        name: 'query answered HTTP 502 / 503 ×3',
        prompts: ['five hundreds on query'],
        minimax: [
          { route: 'query', kind: 'http', status: 502, times: 2 },
          { route: 'query', kind: 'http', status: 503 },
        ],
        expected: 'done',
        outcome: 'video posted',
      }),
    );
  });

  it('tells the user when the create timed out after MiniMax made the task, and makes no second', async () => {
    tally.add(
      await runSlackScenario(stack, {
        name: 'create timed out (task made, answer late)',
        prompts: ['slow create answer'],
        minimax: [{ route: 'create', kind: 'delay', ms: 1_000, afterCreate: true }],
        expected: 'failed',
        message: /^MiniMax did not answer in time, /,
        outcome: 'told: no answer in time, not resent',
      }),
    );
  });

  it('finishes a job whose status query timed out', async () => {
    tally.add(
      await runSlackScenario(stack, {
        name: 'query timed out',
        prompts: ['slow query answer'],
        minimax: [{ route: 'query', kind: 'delay', ms: 1_000 }],
        expected: 'done',
        outcome: 'video posted',
      }),
    );
  });

  it('tells the user when the connection dropped during the create', async () => {
    tally.add(
      await runSlackScenario(stack, {
        name: 'create connection dropped (task made)',
        prompts: ['dropped after create'],
        minimax: [{ route: 'create', kind: 'drop', afterCreate: true }],
        expected: 'failed',
        message: /^The connection to MiniMax broke before its answer arrived, /,
        outcome: 'told: connection broke, not resent',
      }),
    );
  });

  it('finishes a job whose queries, retrieve and download lost their connections', async () => {
    tally.add(
      await runSlackScenario(stack, {
        name: 'query / retrieve / download dropped',
        prompts: ['dropped on the way'],
        minimax: [
          { route: 'query', kind: 'drop', times: 2 },
          { route: 'retrieve', kind: 'drop' },
          { route: 'download', kind: 'drop' },
        ],
        expected: 'done',
        outcome: 'video posted',
      }),
    );
  });

  it('tells the user when the create answer is not JSON', async () => {
    tally.add(
      await runSlackScenario(stack, {
        name: 'create answered non-JSON',
        prompts: ['html on create'],
        minimax: [{ route: 'create', kind: 'non_json' }],
        expected: 'failed',
        message: /^MiniMax answered with an error that does not say whether it made the video, /,
        tasksPerJob: 0,
        outcome: 'told: unknown whether started, not resent',
      }),
    );
  });

  it('finishes a job whose query and retrieve answers were not JSON', async () => {
    tally.add(
      await runSlackScenario(stack, {
        name: 'query / retrieve answered non-JSON',
        prompts: ['html on query'],
        minimax: [
          { route: 'query', kind: 'non_json', times: 2 },
          { route: 'retrieve', kind: 'non_json' },
        ],
        expected: 'done',
        outcome: 'video posted',
      }),
    );
  });

  it('gets every job of a 1002 storm through with exactly one task each', async () => {
    tally.add(
      await runSlackScenario(stack, {
        name: '1002 rate-limit storm on create (4 jobs)',
        prompts: ['storm one', 'storm two', 'storm three', 'storm four'],
        minimax: [{ route: 'create', kind: 'base_resp', code: 1002, msg: 'rate limit', times: 7 }],
        expected: 'done',
        outcome: 'all 4 videos posted',
      }),
    );
  });

  it('finishes a job whose download links had expired', async () => {
    tally.add(
      await runSlackScenario(stack, {
        name: 'expired download URL (retrieve + CDN 403)',
        prompts: ['expired links'],
        minimax: [
          { route: 'retrieve', kind: 'expired_url' },
          { route: 'download', kind: 'expired_url' },
        ],
        expected: 'done',
        outcome: 'fresh link fetched, video posted',
      }),
    );
  });

  it('finishes a job whose download was cut halfway, posting the whole file', async () => {
    const row = await runSlackScenario(stack, {
      name: 'download cut halfway',
      prompts: ['half a download'],
      minimax: [{ route: 'download', kind: 'truncate' }],
      expected: 'done',
      outcome: 'downloaded again, video posted',
    });
    const job = stack.jobs().find((j) => j.request.prompt === 'half a download')!;
    const fileId = String(job.origin.ref.fileId);
    const sample = stack.slack!.state.files.get(fileId)!;
    expect(sample.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(sample.bytes.length).toBe(job.videoBytes);
    tally.add(row);
  });
});
