import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { afterEach, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import type { JobEngine } from '../../src/core/engine/job-engine.js';
import type { Job, JobState } from '../../src/core/jobs/job.js';
import type { JobStore } from '../../src/core/jobs/job-store.js';
import type { DiscordAdapter } from '../../src/discord/adapter.js';
import { type App, createApp } from '../../src/main.js';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator, SimulatorOptions } from '../../src/simulator/sim-types.js';
import { simulatorEnv } from '../core/engine/engine-harness.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { OpenApiValidator } from '../fakes/discord/openapi-validator.js';

export const silent = pino({ level: 'silent' });
export const SAMPLE_MP4 = readFileSync(new URL('../../assets/sample.mp4', import.meta.url));
export const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

export interface DiscordHarnessOptions {
  validator?: OpenApiValidator;
  /** Reuse across a restart. */
  fake?: FakeDiscord;
  sim?: Simulator;
  simOptions?: SimulatorOptions;
  dataDir?: string;
  /** Default memory://; the restart test uses SQLite in the data dir. */
  storeUrl?: string;
  clock?: Clock;
  /** The adapter's own clock (token-expiry tests move it without moving the engine). */
  adapterClock?: Clock;
  minEditGapMs?: number;
  /** Extra settings, e.g. MAX_ACTIVE_JOBS. */
  env?: Record<string, string>;
  /** Default silent. */
  logger?: Logger;
  /** Serve HTTP (the dashboard) on this port of 127.0.0.1, with PUBLIC_URL pointing at it. */
  httpPort?: number;
}

/**
 * The real thing end to end: discord.js against the fake Discord, the real JobEngine against
 * the MiniMax simulator, with a real store and a temp DATA_DIR, built by createApp as `serve`
 * builds it (no HTTP server).
 */
export class DiscordHarness {
  private constructor(
    readonly fake: FakeDiscord,
    readonly sim: Simulator,
    readonly app: App,
    readonly dataDir: string,
  ) {}

  get engine(): JobEngine {
    return this.app.service;
  }

  get store(): JobStore {
    return this.app.store;
  }

  get adapter(): DiscordAdapter {
    return this.app.discord!;
  }

  static async create(o: DiscordHarnessOptions = {}): Promise<DiscordHarness> {
    const fake =
      o.fake ?? (await startFakeDiscord({ ...(o.validator ? { validator: o.validator } : {}) }));
    const sim =
      o.sim ??
      (await createSimulator({
        apiKey: 'sim-discord-key',
        timelineMs: { preparing: 20, queueing: 20, processing: 60 },
        ...o.simOptions,
      }));
    const dataDir = o.dataDir ?? (await mkdtemp(join(tmpdir(), 'discord-e2e-')));
    const clock = o.clock ?? systemClock;
    const config = loadConfig({
      ...simulatorEnv(sim, dataDir),
      STORE_URL: o.storeUrl ?? 'memory://',
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      ...(o.httpPort
        ? { PORT: String(o.httpPort), PUBLIC_URL: `http://127.0.0.1:${o.httpPort}` }
        : {}),
      ...o.env,
    });
    const app = await createApp(config, {
      clock,
      logger: o.logger ?? silent,
      ...(o.httpPort ? { host: '127.0.0.1' } : { httpServer: false }),
      engine: { random: () => 0.5, stopGraceMs: 2000 },
      discord: { clock: o.adapterClock ?? clock, minEditGapMs: o.minEditGapMs ?? 5 },
    });
    await app.start();
    return new DiscordHarness(fake, sim, app, dataDir);
  }

  /** The id of the interaction's first reply, once the bot has sent it. */
  async replyIdOf(interaction: { id: string }): Promise<string> {
    const i = this.fake.state.interactions.get(interaction.id)!;
    await expect.poll(() => i.originalMessageId, { timeout: 10_000 }).toBeDefined();
    return i.originalMessageId!;
  }

  /** Resolves once the message carries the video (exactly one attachment). */
  async waitForVideo(messageId: string): Promise<void> {
    await expect
      .poll(() => this.fake.state.messages.get(messageId)?.attachments.length, {
        timeout: 15_000,
      })
      .toBe(1);
  }

  /** Resolves with the job once it is in one of `states`. */
  async waitForJob(
    match: (job: Job) => boolean,
    states: JobState[] = ['done', 'failed', 'cancelled', 'expired'],
    timeoutMs = 15_000,
  ): Promise<Job> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const jobs = await this.store.listByUser('discord', this.fake.user.id, 50);
      const all = [...jobs, ...(await this.store.listActive())];
      const hit = all.find((j) => match(j) && states.includes(j.state));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no job reached ${states.join('/')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops the adapter and the engine; closes what is not kept for a restart. */
  async close(keep: { fake?: boolean; sim?: boolean; dir?: boolean } = {}): Promise<void> {
    await this.app.stop();
    if (!keep.fake) await this.fake.stop();
    if (!keep.sim) await this.sim.stop();
    if (!keep.dir) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Discord's OpenAPI contract, loaded once per file (a missing spec fails the file). */
export function useOpenApiValidator(): () => { validator: OpenApiValidator } {
  let validator: OpenApiValidator | undefined;
  beforeAll(() => {
    validator = OpenApiValidator.load();
  });
  return () => {
    if (!validator) throw new Error('the OpenAPI validator is loaded in beforeAll');
    return { validator };
  };
}

export interface DiscordHarnessHooks {
  /** Creates this test's harness; after the test it must show no contract failures, then closes. */
  start(o?: DiscordHarnessOptions): Promise<DiscordHarness>;
  /** `{ validator }`, for harnesses a test creates and closes itself. */
  contract(): { validator: OpenApiValidator };
  /** Requests checked against the spec by the harnesses closed so far. */
  contractChecked(): number;
}

/** Registers the per-file hooks every end-to-end Discord test needs. */
export function useDiscordHarness(): DiscordHarnessHooks {
  const contract = useOpenApiValidator();
  let current: DiscordHarness | undefined;
  let checked = 0;
  afterEach(async () => {
    if (current) {
      checked += current.fake.contractChecked;
      expect(current.fake.contractFailures).toEqual([]);
    }
    await current?.close();
    current = undefined;
  });
  return {
    async start(o = {}) {
      current = await DiscordHarness.create({ ...o, ...contract() });
      return current;
    },
    contract,
    contractChecked: () => checked,
  };
}
