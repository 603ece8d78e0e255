import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { collect, spawnCli } from './run-cli.js';

let dir: string;
let discord: FakeDiscord;
let slack: FakeSlack;
let child: ChildProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mvb-serve-'));
  discord = await new FakeDiscord({ heartbeatIntervalMs: 500 }).start();
  slack = await FakeSlack.start();
});
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await Promise.all([discord.stop(), slack.close()]);
  await rm(dir, { recursive: true, force: true });
});

interface LogLine {
  msg: string;
  [key: string]: unknown;
}

/** Resolves with the first JSON log line that has `msg`, reading the child's stdout as it comes. */
function logLine(proc: ChildProcess, msg: string): Promise<LogLine> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n')) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as LogLine;
        if (parsed.msg === msg) {
          proc.stdout?.off('data', onData);
          resolve(parsed);
          return;
        }
      }
    };
    proc.stdout?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code} before "${msg}"`)));
  });
}

it('starts every adapter whose tokens are set plus the HTTP server, and stops cleanly on SIGTERM', async () => {
  child = spawnCli(['serve'], {
    cwd: dir,
    env: {
      DATA_DIR: join(dir, 'data'),
      PORT: '0',
      LOG_LEVEL: 'info',
      MINIMAX_API_KEY: 'not-used-in-this-test',
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: slack.id.botToken,
      SLACK_APP_TOKEN: slack.id.appToken,
      SLACK_API_URL: `${slack.id.baseUrl}/api/`,
    },
  });
  const result = collect(child);
  const started = await logLine(child, 'bot started');
  expect(started['adapters']).toEqual(['discord', 'slack (Socket Mode)']);
  const base = `http://127.0.0.1:${started['port']}`;

  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toContain('videobot_');
  expect(discord.identifies.map((i) => i.token)).toEqual([discord.token]);
  // Socket Mode: the bot opened a connection with its app-level token.
  expect(slack.recorder.of('apps.connections.open', { all: true })).toHaveLength(1);

  child.kill('SIGTERM');
  const done = await result;
  expect(done.code).toBe(0);
  expect(done.stdout).toContain('"msg":"bot stopped"');
});
