import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import type { JobEngine } from '../../src/core/engine/job-engine.js';
import type { Job, JobState } from '../../src/core/jobs/job.js';
import type { JobStore } from '../../src/core/jobs/job-store.js';
import type { ProgressEvent } from '../../src/core/progress.js';
import { type App, createApp } from '../../src/main.js';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator, SimulatorOptions } from '../../src/simulator/sim-types.js';
import type { SlackAdapter } from '../../src/slack/adapter.js';
import { SlackApi } from '../../src/slack/slack-api.js';
import { simulatorEnv } from '../core/engine/engine-harness.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';

export const silent = pino({ level: 'silent' });
export const sampleMp4 = () => readFile(new URL('../../assets/sample.mp4', import.meta.url));
export const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url));

/** The real SlackApi over the fake Web API: 429s surface at once, no client retries. */
export function slackApiFor(fake: FakeSlack, clock: Clock, signal: AbortSignal): SlackApi {
  const client = new webApi.WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
  return new SlackApi({ client, clock, logger: silent, botToken: fake.botToken, signal });
}

export interface SlackHarnessOptions {
  mode: 'socket' | 'http';
  /** Default memory://; restart tests pass a sqlite:// URL in `dataDir`. */
  storeUrl?: string;
  dataDir?: string;
  /** Shared between the two halves of a restart test. */
  fake?: FakeSlack;
  sim?: Simulator;
  timelineMs?: SimulatorOptions['timelineMs'];
  env?: Record<string, string>;
}

/**
 * The real thing end to end: Bolt (Socket Mode or signed HTTP through the bot's HTTP server),
 * the Slack adapter, the real JobEngine on the job store and the MiniMax simulator, with a fake
 * Slack on 127.0.0.1, built by createApp as `serve` builds it. Only the pacing is shortened.
 */
export class SlackHarness {
  readonly events: ProgressEvent[] = [];

  private constructor(
    readonly fake: FakeSlack,
    readonly sim: Simulator,
    readonly app: App,
    readonly dataDir: string,
    private readonly owns: { fake: boolean; sim: boolean; dir: boolean },
  ) {
    app.service.onProgress((e) => this.events.push(e));
  }

  static async create(options: SlackHarnessOptions): Promise<SlackHarness> {
    const fake = options.fake ?? (await FakeSlack.start());
    const sim =
      options.sim ??
      (await createSimulator({
        apiKey: 'sim-slack-key',
        timelineMs: options.timelineMs ?? { preparing: 10, queueing: 10, processing: 40 },
      }));
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'slack-e2e-')));
    const config = loadConfig({
      ...simulatorEnv(sim, dataDir),
      STORE_URL: options.storeUrl ?? 'memory://',
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_API_URL: fake.apiUrl,
      ...(options.mode === 'socket'
        ? { SLACK_APP_TOKEN: fake.appToken }
        : { SLACK_SIGNING_SECRET: fake.signingSecret }),
      ...options.env,
    });
    const app = await createApp(config, {
      logger: silent,
      host: '127.0.0.1',
      // Socket Mode needs no HTTP server; HTTP mode mounts its route on the app's.
      httpServer: options.mode === 'http',
      slack: {
        clientOptions: { retryConfig: { retries: 0 } },
        pacing: {
          minEditIntervalMs: 20,
          maxEditIntervalMs: 50,
          stateEditIntervalMs: 0,
          editsPerMinute: 60_000,
        },
        uploadRetryDelayMs: 10,
      },
    });
    await app.start();
    fake.httpTarget = app.server ? `${app.server.url}/slack/events` : undefined;
    return new SlackHarness(fake, sim, app, dataDir, {
      fake: !options.fake,
      sim: !options.sim,
      dir: !options.dataDir,
    });
  }

  get engine(): JobEngine {
    return this.app.service;
  }

  get store(): JobStore {
    return this.app.store;
  }

  get adapter(): SlackAdapter {
    return this.app.slack!;
  }

  /** Resolves with the first job that reaches one of `states`. */
  waitForState(states: JobState[], jobId?: string, timeoutMs = 8_000): Promise<Job> {
    const hit = this.events.find((e) => states.includes(e.state) && (!jobId || e.jobId === jobId));
    if (hit) return Promise.resolve(hit.job);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no job reached ${states.join('/')}`));
      }, timeoutMs);
      const off = this.engine.onProgress((e) => {
        if (states.includes(e.state) && (!jobId || e.jobId === jobId)) {
          clearTimeout(timer);
          off();
          resolve(e.job);
        }
      });
    });
  }

  /** Stops everything this harness started; `keep` leaves shared parts running. */
  async close(keep: { fake?: boolean; sim?: boolean; dir?: boolean } = {}): Promise<void> {
    await this.app.stop();
    if (this.owns.fake && !keep.fake) await this.fake.close();
    if (this.owns.sim && !keep.sim) await this.sim.stop();
    if (this.owns.dir && !keep.dir) await rm(this.dataDir, { recursive: true, force: true });
  }
}
