import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/jobs/job.js';
import { AppStack } from './app-stack.js';
import { FaultTally } from './fault-tally.js';
import { scaledClock } from './scaled-clock.js';
import { runSlackScenario } from './slack-scenario.js';

/**
 * Slack and Discord failing the delivery of a finished video: rate limits and server errors on
 * the upload. The whole bot runs (createApp, both adapters); time runs 10x fast.
 */
describe('platform faults on upload', () => {
  const tally = new FaultTally('Platform faults (test/faults/platform-faults.test.ts)');
  let stack: AppStack;

  beforeAll(async () => {
    stack = await AppStack.start({ clock: scaledClock(10), discord: true });
  });
  afterEach(() => stack.sim.clearFaults());
  afterAll(async () => {
    tally.print();
    await stack?.close();
  });

  /** Faulty answers the fake Slack gave since `mark` on the upload path. */
  function slackFaultsSince(mark: number): number {
    const upload = ['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'];
    return stack
      .slack!.recorder.calls.slice(mark)
      .filter((c) => upload.includes(c.method) && c.status !== 200).length;
  }

  it('posts the video once after Slack answered 429 to both upload calls', async () => {
    const slack = stack.slack!;
    const mark = slack.recorder.calls.length;
    slack.fail('files.getUploadURLExternal', { status: 429, retryAfterSec: 2 });
    slack.fail('files.completeUploadExternal', { status: 429, retryAfterSec: 1 });
    const row = await runSlackScenario(stack, {
      name: 'Slack 429 on files.getUploadURLExternal and files.completeUploadExternal',
      prompts: ['slack rate limits the upload'],
      faults: () => slackFaultsSince(mark),
      expected: 'done',
      outcome: 'waited Retry-After, video posted once',
    });
    expect(row.faults).toBe(2);
    tally.add(row);
  });

  it('posts the video once after the Slack upload host and API answered 5xx', async () => {
    const slack = stack.slack!;
    const mark = slack.recorder.calls.length;
    slack.fail('upload', { status: 503 });
    slack.fail('files.completeUploadExternal', { status: 500 });
    const row = await runSlackScenario(stack, {
      name: 'Slack 503 on the upload URL, 500 on files.completeUploadExternal',
      prompts: ['slack upload host is flaky'],
      faults: () => slackFaultsSince(mark),
      expected: 'done',
      outcome: 'upload retried, video posted once',
    });
    expect(row.faults).toBe(2);
    tally.add(row);
  });

  it('links the paid video in the thread when every Slack upload attempt fails', async () => {
    const slack = stack.slack!;
    const mark = slack.recorder.calls.length;
    slack.fail('upload', { status: 502 }, 3);
    tally.add(
      await runSlackScenario(stack, {
        name: 'Slack 502 on every upload attempt (3)',
        prompts: ['slack never takes the file'],
        faults: () => slackFaultsSince(mark),
        expected: 'done',
        filesPerJob: 0,
        outcome: 'video linked in the thread',
      }),
    );
    const job = stack.jobs().find((j) => j.request.prompt === 'slack never takes the file')!;
    const links = slack.state
      .thread(String(job.origin.ref.channel), String(job.origin.ref.statusTs))
      .filter((m) => m.text.includes('Slack did not accept the video upload here (upload_failed)'));
    expect(links).toHaveLength(1);
  });

  /**
   * Sends /video on Discord and arms `arm` the moment the job starts uploading, so the faults
   * meet the upload (the final edit carrying the MP4).
   */
  async function discordScenario(name: string, prompt: string, arm: () => void, outcome: string) {
    const discord = stack.discord!;
    const mark = discord.recorder.requests.length;
    const off = stack.app.service.onProgress((e) => {
      if (e.state === 'uploading' && e.job.request.prompt === prompt) arm();
    });
    const i = discord.slashCommand('video', { prompt });
    const isMine = (j: Job) => j.request.prompt === prompt;
    const job = await stack.waitForJob(isMine);
    off();
    const messageId = discord.state.interactions.get(i.id)!.originalMessageId!;
    await expect
      .poll(() => discord.state.messages.get(messageId)?.attachments.length, { timeout: 5_000 })
      .toBe(1);
    const since = discord.recorder.requests.slice(mark);
    const uploads = since.filter((r) => r.files.length > 0);
    const faults = since.filter((r) => r.fault);
    const posted = uploads.filter((r) => r.status === 200).length;
    const tasks = [...stack.sim.tasks.values()].filter((t) => t.body.prompt === prompt).length;
    const row = {
      scenario: name,
      faults: faults.length,
      jobs: 1,
      // Lost: the job did not finish, or finished without the video in the user's reply.
      lost: job.state === 'done' && posted > 0 ? 0 : 1,
      duplicateTasks: Math.max(0, tasks - 1),
      duplicatePosts: Math.max(0, posted - 1),
      outcome,
    };
    tally.add(row);
    expect(job.state).toBe('done');
    expect(faults.filter((r) => r.files.length > 0).length).toBeGreaterThan(0);
    expect(row).toMatchObject({ lost: 0, duplicateTasks: 0, duplicatePosts: 0 });
    expect(posted).toBe(1);
    expect(tasks).toBe(1);
  }

  it('posts the video once after Discord answered 429 to the upload', async () => {
    await discordScenario(
      'Discord 429 on the upload (PATCH @original with the MP4)',
      'discord rate limits the upload',
      () => stack.discord!.rateLimitNext('PATCH', /@original$/, 0.2, 2),
      'waited retry_after, video posted once',
    );
  });

  it('posts the video once after Discord answered 5xx to the upload', async () => {
    await discordScenario(
      'Discord 502 on the upload (PATCH @original with the MP4)',
      'discord upload gets a bad gateway',
      () =>
        stack.discord!.injectFault({
          method: 'PATCH',
          path: /@original$/,
          times: 2,
          reply: { status: 502, body: { message: '502: Bad Gateway', code: 0 } },
        }),
      'retried, video posted once',
    );
  });
});
