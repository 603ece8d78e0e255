import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { captureContext } from './capture.js';

const API_KEY = 'test-simulator-key';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mvb-commands-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('register', () => {
  let discord: FakeDiscord;
  beforeEach(async () => {
    discord = await new FakeDiscord().start();
  });
  afterEach(async () => {
    await discord.stop();
  });

  it('registers the commands to DISCORD_GUILD_ID', async () => {
    const ctx = captureContext({
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guildId,
    });
    expect(await runCli(['register'], ctx)).toBe(0);
    expect(ctx.out()).toBe(
      `Registered video, Animate this image, video-status, video-admin, video-dashboard to guild ${discord.guildId} (available now).\n`,
    );
    const puts = discord.recorder.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([
      `/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`,
    ]);
  });

  it('exits with code 2 and says which settings to add when the Discord token is missing', async () => {
    const ctx = captureContext({});
    expect(await runCli(['register'], ctx)).toBe(2);
    expect(ctx.err()).toBe(
      'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID to register the Discord commands.\n',
    );
  });
});

describe('slack-manifest', () => {
  it('prints a Socket Mode manifest by default', async () => {
    const ctx = captureContext({});
    expect(await runCli(['slack-manifest'], ctx)).toBe(0);
    const manifest = JSON.parse(ctx.out());
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'files:write', 'files:read']),
    );
  });

  it('points every request URL at /slack/events in HTTP mode', async () => {
    const ctx = captureContext({});
    expect(await runCli(['slack-manifest', '--http', 'https://bot.example.com/'], ctx)).toBe(0);
    const manifest = JSON.parse(ctx.out());
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toBe(
      'https://bot.example.com/slack/events',
    );
    expect(manifest.settings.interactivity.request_url).toBe(
      'https://bot.example.com/slack/events',
    );
  });

  it('refuses an --http value that is not a URL with exit code 2', async () => {
    const ctx = captureContext({});
    expect(await runCli(['slack-manifest', '--http', 'bot.example.com'], ctx)).toBe(2);
    expect(ctx.out()).toBe('');
  });
});

describe('doctor', () => {
  let sim: Simulator;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  beforeEach(async () => {
    sim = await createSimulator({ apiKey: API_KEY });
    discord = await new FakeDiscord().start();
    slack = await FakeSlack.start();
  });
  afterEach(async () => {
    await Promise.all([sim.stop(), discord.stop(), slack.close()]);
  });

  const envFor = (extra: Record<string, string> = {}) => ({
    MINIMAX_BASE_URL: sim.url,
    MINIMAX_API_KEY: API_KEY,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    SLACK_BOT_TOKEN: slack.id.botToken,
    SLACK_APP_TOKEN: slack.id.appToken,
    SLACK_API_URL: `${slack.id.baseUrl}/api/`,
    DATA_DIR: join(dir, 'data'),
    ...extra,
  });

  it('passes every check when everything is reachable and accepted', async () => {
    const ctx = captureContext(envFor());
    expect(await runCli(['doctor'], ctx)).toBe(0);
    const lines = ctx.out().trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    for (const line of lines) expect(line).toMatch(/^✓ /);
    expect(lines).toContain(
      `✓ MiniMax-H3 (V2 API) at ${sim.url} is reachable and accepts the key.`,
    );
    // The key checks are one query of a task id that cannot exist per API: nothing is billed.
    expect(sim.creates()).toHaveLength(0);
    expect(sim.queries().map((q) => q.api)).toEqual(['v1', 'v2']);
  });

  it('reports a MiniMax key that is refused, naming the region hosts', async () => {
    const ctx = captureContext(envFor({ MINIMAX_API_KEY: 'a-key-from-elsewhere' }));
    expect(await runCli(['doctor'], ctx)).toBe(1);
    const line = ctx
      .out()
      .split('\n')
      .find((l) => l.includes('MiniMax'));
    expect(line).toMatch(/^✗ MiniMax rejected the API key .*code 1004/);
    expect(line).toContain('https://api.minimaxi.com');
    expect(ctx.out()).not.toContain('a-key-from-elsewhere');
  });

  it('reports a Discord token that is refused', async () => {
    const ctx = captureContext(envFor({ DISCORD_TOKEN: 'not-the-right-token' }));
    expect(await runCli(['doctor'], ctx)).toBe(1);
    expect(ctx.out()).toContain('✗ Discord rejected DISCORD_TOKEN');
  });

  it('reports a Slack token that is refused', async () => {
    const ctx = captureContext(envFor({ SLACK_BOT_TOKEN: 'xoxb-not-the-right-token' }));
    expect(await runCli(['doctor'], ctx)).toBe(1);
    expect(ctx.out()).toContain('✗ Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
  });

  it('reports a DATA_DIR that cannot be written', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const ctx = captureContext(envFor({ DATA_DIR: file }));
    expect(await runCli(['doctor'], ctx)).toBe(1);
    expect(ctx.out()).toContain(`✗ DATA_DIR ${file} is not writable`);
  });

  it('reports a bad setting as a failed check', async () => {
    const ctx = captureContext(envFor({ MINIMAX_RPM: 'abc' }));
    expect(await runCli(['doctor'], ctx)).toBe(1);
    expect(ctx.out()).toMatch(/^✗ Configuration: MINIMAX_RPM /);
  });

  it('marks adapters without tokens as off rather than failed', async () => {
    const env = envFor();
    for (const key of [
      'DISCORD_TOKEN',
      'DISCORD_APPLICATION_ID',
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
    ])
      delete (env as Record<string, string>)[key];
    const ctx = captureContext(env);
    expect(await runCli(['doctor'], ctx)).toBe(0);
    expect(ctx.out()).toContain('- Discord is off (DISCORD_TOKEN is not set).');
    expect(ctx.out()).toContain('- Slack is off (SLACK_BOT_TOKEN is not set).');
  });
});
