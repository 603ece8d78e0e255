import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import type { FreeSpaceProbe } from '../../src/core/disk-guard.js';
import type { Job, JobState } from '../../src/core/jobs/job.js';
import type { ProgressEvent } from '../../src/core/progress.js';
import { type App, createApp } from '../../src/main.js';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator, SimulatorOptions } from '../../src/simulator/sim-types.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';

export interface AppStackOptions {
  /** Extra settings on top of the ones pointing the bot at the fakes. */
  env?: Record<string, string>;
  /** Slack transport; `false` leaves Slack off. Default socket. */
  slack?: 'socket' | 'http' | false;
  discord?: boolean;
  /** Shared across tests or a restart. */
  sim?: Simulator;
  fakeSlack?: FakeSlack;
  fakeDiscord?: FakeDiscord;
  timelineMs?: SimulatorOptions['timelineMs'];
  apiKey?: string;
  clock?: Clock;
  /** Log level of the captured pino lines. Default `warn`. */
  logLevel?: string;
  /** Free space DATA_DIR reports (the disk-full test); default the real fs.statfs. */
  freeSpace?: FreeSpaceProbe;
}

/**
 * The whole bot as `serve` builds it (createApp from src/main.ts) against the MiniMax simulator
 * and the fake Slack and Discord on 127.0.0.1, with every pino line captured.
 */
export class AppStack {
  readonly events: ProgressEvent[] = [];

  private constructor(
    readonly app: App,
    /** Every pino line the app wrote, as JSON text. */
    readonly logLines: string[],
    readonly sim: Simulator,
    readonly slack: FakeSlack | undefined,
    readonly discord: FakeDiscord | undefined,
    readonly dataDir: string,
    private readonly owns: { sim: boolean; slack: boolean; discord: boolean },
  ) {}

  static async start(o: AppStackOptions = {}): Promise<AppStack> {
    const sim =
      o.sim ??
      (await createSimulator({
        apiKey: o.apiKey ?? 'sim-stack-key',
        timelineMs: o.timelineMs ?? { preparing: 10, queueing: 10, processing: 40 },
      }));
    const slackMode = o.slack ?? 'socket';
    const slack = slackMode ? (o.fakeSlack ?? (await FakeSlack.start())) : undefined;
    const discord = o.discord ? (o.fakeDiscord ?? (await startFakeDiscord())) : undefined;
    const dataDir = await mkdtemp(join(tmpdir(), 'mvb-stack-'));
    const env: Record<string, string> = {
      MINIMAX_API_KEY: sim.apiKey,
      MINIMAX_BASE_URL: sim.url,
      MINIMAX_RPM: '1000',
      MINIMAX_QPS: '1000',
      MINIMAX_TIMEOUT_S: '2',
      POLL_MIN_S: '0.01',
      POLL_MAX_S: '0.05',
      DATA_DIR: dataDir,
      STORE_URL: 'memory://',
      PORT: '0',
      LOG_FORMAT: 'json',
      ...(slack
        ? {
            SLACK_BOT_TOKEN: slack.botToken,
            SLACK_API_URL: slack.apiUrl,
            ...(slackMode === 'socket'
              ? { SLACK_APP_TOKEN: slack.appToken }
              : { SLACK_SIGNING_SECRET: slack.signingSecret }),
          }
        : {}),
      ...(discord
        ? {
            DISCORD_TOKEN: discord.token,
            DISCORD_APPLICATION_ID: discord.applicationId,
            DISCORD_API_URL: discord.apiUrl,
          }
        : {}),
      ...o.env,
    };
    const logLines: string[] = [];
    const app = await createApp(loadConfig(env), {
      ...(o.clock ? { clock: o.clock } : {}),
      logDestination: { write: (line: string) => void logLines.push(line) },
      logLevel: o.logLevel ?? 'warn',
      host: '127.0.0.1',
      ...(o.freeSpace ? { freeSpace: o.freeSpace } : {}),
    });
    const stack = new AppStack(app, logLines, sim, slack, discord, dataDir, {
      sim: !o.sim,
      slack: Boolean(slack && !o.fakeSlack),
      discord: Boolean(discord && !o.fakeDiscord),
    });
    app.service.onProgress((e) => stack.events.push(e));
    await app.start();
    if (slack)
      slack.httpTarget = slackMode === 'http' ? `${app.server!.url}/slack/events` : undefined;
    return stack;
  }

  /** Resolves with the job once it reaches one of `states` (terminal ones by default). */
  waitForJob(
    match: (job: Job) => boolean = () => true,
    states: JobState[] = ['done', 'failed', 'cancelled', 'expired'],
    timeoutMs = 10_000,
  ): Promise<Job> {
    const hit = this.events.find((e) => states.includes(e.state) && match(e.job));
    if (hit) return Promise.resolve(hit.job);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no job reached ${states.join('/')} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.app.service.onProgress((e) => {
        if (!states.includes(e.state) || !match(e.job)) return;
        clearTimeout(timer);
        off();
        resolve(e.job);
      });
    });
  }

  /** Every job this app has seen, latest snapshot of each. */
  jobs(): Job[] {
    const latest = new Map<string, Job>();
    for (const e of this.events) latest.set(e.jobId, e.job);
    return [...latest.values()];
  }

  async close(): Promise<void> {
    await this.app.stop();
    if (this.owns.slack) await this.slack?.close();
    if (this.owns.discord) await this.discord?.stop();
    if (this.owns.sim) await this.sim.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
