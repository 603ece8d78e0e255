import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openJobStore } from '../../src/backend/open-job-store.js';
import type { Job } from '../../src/core/jobs/job.js';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/sim-types.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { FaultTally } from './fault-tally.js';
import { ServeProcess } from './serve-process.js';
import { holdSlack } from './slack-hold.js';

/**
 * `serve` killed with SIGKILL at each step of a job's life, then started again on the same
 * DATA_DIR: the job finishes (or the user is told why it cannot), with one MiniMax task and at
 * most one posted video.
 */
describe('the bot process killed at each lifecycle step', () => {
  const tally = new FaultTally('Process killed (test/faults/process-kill.test.ts)');
  let fake: FakeSlack;
  let sim: Simulator;
  let dir: string;
  const running: ServeProcess[] = [];

  beforeAll(async () => {
    fake = await FakeSlack.start();
    sim = await createSimulator({
      apiKey: 'sim-kill-key',
      timelineMs: { preparing: 10, queueing: 10, processing: 40 },
    });
  });
  afterEach(async () => {
    for (const p of running.splice(0)) await p.kill().catch(() => undefined);
    sim.clearFaults();
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    tally.print();
    await sim.stop();
    await fake.close();
  });

  async function serve(): Promise<ServeProcess> {
    const p = await ServeProcess.start(dir, {
      MINIMAX_BASE_URL: sim.url,
      MINIMAX_API_KEY: sim.apiKey,
      DATA_DIR: join(dir, 'data'),
      POLL_MIN_S: '0.05',
      POLL_MAX_S: '0.2',
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_APP_TOKEN: fake.appToken,
      SLACK_API_URL: fake.apiUrl,
    });
    running.push(p);
    return p;
  }

  const headline = (ts: string) => {
    const blocks = fake.state.message('C0CHANNEL', ts)?.blocks as { text?: { text?: string } }[];
    return blocks?.[0]?.text?.text ?? '';
  };

  /** The job's record once the restarted bot has stopped cleanly. */
  async function storedJobs(): Promise<{ all: Job[]; active: Job[] }> {
    const store = await openJobStore(`sqlite://${join(dir, 'data')}/bot.sqlite`);
    try {
      return {
        all: await store.listByUser('slack', 'U0USER', 10),
        active: await store.listActive(),
      };
    } finally {
      await store.close();
    }
  }

  async function until(what: string, check: () => boolean): Promise<void> {
    for (let i = 0; i < 400; i++) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  /**
   * One run: /video, wait for `killPoint`, SIGKILL, restart, then check the user-visible end and
   * the store. `expected` is what the user must read in the status message in the end.
   */
  async function killScenario(o: {
    name: string;
    prompt: string;
    arm?: () => void;
    /** Resolves when the bot is where it must die; gets the MiniMax requests of this run. */
    killPoint: (requests: () => Simulator['requests']) => Promise<void>;
    afterKill?: () => void;
    expected: RegExp;
    state: 'done' | 'failed';
    outcome: string;
  }) {
    dir = await mkdtemp(join(tmpdir(), 'mvb-kill-'));
    const marks = { calls: fake.recorder.calls.length, sim: sim.requests.length };
    o.arm?.();
    const first = await serve();
    await fake.slashCommand({ text: o.prompt });
    await o.killPoint(() => sim.requests.slice(marks.sim));
    await first.kill();
    o.afterKill?.();
    sim.clearFaults();

    const second = await serve();
    const post = await fake.recorder.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.status === 200 &&
        fake.recorder.calls.indexOf(c) >= marks.calls,
    );
    const ts = (post.reply as { ts: string }).ts;
    await until(`the status message to read ${o.expected}`, () => o.expected.test(headline(ts)));
    // Deliveries happen before the final edit; give a duplicate upload no chance to hide.
    expect(await second.stop()).toBe(0);

    const { all, active } = await storedJobs();
    const calls = fake.recorder.calls.slice(marks.calls);
    const statusPosts = calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200);
    const shares = calls.filter(
      (c) =>
        c.method === 'files.completeUploadExternal' &&
        c.status === 200 &&
        (c.reply as { ok?: boolean }).ok !== false,
    );
    const tasks = [...sim.tasks.values()].filter((t) => t.body.prompt === o.prompt).length;
    const row = {
      scenario: o.name,
      faults: 1,
      jobs: 1,
      // Lost: no stored job, more than one, or one that never reached done/failed.
      lost: all.length === 1 && ['done', 'failed'].includes(all[0]!.state) ? 0 : 1,
      duplicateTasks: Math.max(0, tasks - 1),
      duplicatePosts: Math.max(0, shares.length - 1),
      outcome: o.outcome,
    };
    tally.add(row);
    expect(row).toMatchObject({ lost: 0, duplicateTasks: 0, duplicatePosts: 0 });
    expect(active).toEqual([]);
    expect(all).toHaveLength(1);
    expect(all[0]!.state).toBe(o.state);
    expect(statusPosts).toHaveLength(1);
    expect(tasks).toBe(1);
    expect(shares).toHaveLength(o.state === 'done' ? 1 : 0);
  }

  it('finishes a job killed after its create, polling the same task', async () => {
    const prompt = 'killed after create';
    await killScenario({
      name: 'SIGKILL after the create (task id stored)',
      prompt,
      // The first query hangs, so the kill lands while the task is being polled.
      arm: () => sim.inject({ route: 'query', kind: 'delay', ms: 10_000 }),
      killPoint: (requests) =>
        until('the first query', () => requests().some((r) => r.route === 'query')),
      expected: /^:white_check_mark: \*Done\*/,
      state: 'done',
      outcome: 'resumed polling, video posted',
    });
  });

  it('tells the user when the process died while the create answer was in flight', async () => {
    const prompt = 'killed during create';
    await killScenario({
      name: 'SIGKILL while the create answer was in flight',
      prompt,
      arm: () => sim.inject({ route: 'create', kind: 'delay', ms: 10_000, afterCreate: true }),
      killPoint: () =>
        until('MiniMax to make the task', () =>
          [...sim.tasks.values()].some((t) => t.body.prompt === prompt),
        ),
      expected: /^:x: \*Failed\*: The bot restarted while starting this video, so it is unknown/,
      state: 'failed',
      outcome: 'told: restarted while starting, not resent',
    });
  });

  it('finishes a job killed during its download', async () => {
    await killScenario({
      name: 'SIGKILL during the download',
      prompt: 'killed during download',
      arm: () => sim.inject({ route: 'download', kind: 'delay', ms: 10_000 }),
      killPoint: (requests) =>
        until('the download to start', () => requests().some((r) => r.route === 'download')),
      expected: /^:white_check_mark: \*Done\*/,
      state: 'done',
      outcome: 'downloaded again, video posted',
    });
  });

  it('finishes a job killed while its bytes were being uploaded to Slack', async () => {
    let hold: ReturnType<typeof holdSlack> | undefined;
    await killScenario({
      name: 'SIGKILL during the upload (bytes in flight)',
      prompt: 'killed during upload',
      arm: () => {
        hold = holdSlack(fake, '/upload/v1/', 'before');
      },
      killPoint: () => hold!.arrived,
      afterKill: () => hold!.release(),
      expected: /^:white_check_mark: \*Done\*/,
      state: 'done',
      outcome: 'uploaded again, video posted once',
    });
  });

  it('posts the video once when the process died after Slack shared it', async () => {
    let hold: ReturnType<typeof holdSlack> | undefined;
    await killScenario({
      name: 'SIGKILL after Slack shared the file, before the bot recorded it',
      prompt: 'killed after the share',
      arm: () => {
        hold = holdSlack(fake, '/api/files.completeUploadExternal', 'after');
      },
      killPoint: async () => {
        await hold!.arrived;
        await fake.recorder.waitFor((c) => c.method === 'files.completeUploadExternal');
      },
      afterKill: () => hold!.release(),
      expected: /^:white_check_mark: \*Done\*/,
      state: 'done',
      outcome: 'video posted once',
    });
  });
});
