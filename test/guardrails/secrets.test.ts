import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AppStack } from '../faults/app-stack.js';

const MINIMAX_KEY = 'mm-key-MARKER-7f3a9c2e1b';

/**
 * One full bot (both adapters, HTTP server, metrics) runs good and failing jobs with a distinct
 * marker for each secret; then every log line, every message the fakes received, every job
 * error and the /metrics page are searched for the markers.
 */
describe('secrets never leave the process', () => {
  let stack: AppStack;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    stack = await AppStack.start({
      slack: 'http',
      discord: true,
      apiKey: MINIMAX_KEY,
      logLevel: 'trace',
    });
    secrets = {
      MINIMAX_API_KEY: MINIMAX_KEY,
      SLACK_BOT_TOKEN: stack.slack!.botToken,
      SLACK_SIGNING_SECRET: stack.slack!.signingSecret,
      DISCORD_TOKEN: stack.discord!.token,
    };
  });
  afterAll(async () => {
    await stack?.close();
  });

  function leaks(where: string, text: string): string[] {
    return Object.entries(secrets)
      .filter(([, value]) => text.includes(value))
      .map(([name]) => `${name} in ${where}`);
  }

  it('keeps every secret out of logs, posted messages, job errors and metrics', async () => {
    const { slack, discord, sim } = stack;
    // A good job on each platform.
    await slack!.slashCommand({ text: 'a calm sea at dawn' });
    discord!.slashCommand('video', { prompt: 'a calm lake at dusk' });
    await expect
      .poll(() => stack.jobs().filter((j) => j.state === 'done').length, { timeout: 10_000 })
      .toBe(2);
    // Failures whose errors carry request details: MiniMax refusing the key, Slack refusing
    // every upload (logged, then linked), Discord failing an edit with a 500.
    sim.inject({ route: 'create', kind: 'base_resp', code: 1004, msg: 'invalid api key' });
    await slack!.slashCommand({ text: 'the key is refused' });
    await expect
      .poll(() => stack.jobs().filter((j) => j.state === 'failed').length, { timeout: 10_000 })
      .toBe(1);
    slack!.fail('upload', { status: 503 }, 3);
    await slack!.slashCommand({ text: 'uploads keep failing' });
    discord!.injectFault({
      method: 'PATCH',
      path: /@original$/,
      times: 5,
      reply: { status: 500, body: { message: '500: Internal Server Error', code: 0 } },
    });
    discord!.slashCommand('video', { prompt: 'edits fail for a while' });
    await expect
      .poll(() => stack.jobs().filter((j) => j.state === 'done' || j.state === 'failed').length, {
        timeout: 15_000,
      })
      .toBe(5);

    const metrics = await (await fetch(`${stack.app.server!.url}/metrics`)).text();
    // A `token` argument is how Bolt authenticates auth.test to Slack itself, like the
    // Authorization header: a credential going to its owner, not content anyone reads.
    const slackMessages = slack!.recorder.calls.map(({ args: { token: _auth, ...args } }) =>
      JSON.stringify(args),
    );
    const discordMessages = discord!.recorder.requests.map((r) =>
      JSON.stringify({ path: r.path, query: r.query, body: r.body }),
    );
    const jobErrors = stack.jobs().map((j) => JSON.stringify([j.error, j.reason]));
    const configErrors = [
      { SLACK_APP_TOKEN: `bad-${MINIMAX_KEY}` },
      { MINIMAX_API_KEY: MINIMAX_KEY, MINIMAX_RPM: 'lots' },
      { DISCORD_TOKEN: secrets.DISCORD_TOKEN! },
    ].map((env) => {
      try {
        loadConfig(env);
        return '';
      } catch (err) {
        return String((err as Error).message);
      }
    });

    expect(stack.logLines.length).toBeGreaterThan(50);
    expect(
      stack
        .jobs()
        .map((j) => j.error?.code)
        .filter(Boolean),
    ).toEqual(expect.arrayContaining(['minimax_auth']));
    // Slack refusing every upload no longer fails the job: the video is linked in the thread,
    // and the refusal (with its request details) only reaches the log.
    const refused = stack.jobs().find((j) => j.request.prompt === 'uploads keep failing');
    expect(refused?.state).toBe('done');
    expect(metrics).toContain('minimax');
    expect(configErrors.every((m) => m.length > 0)).toBe(true);
    expect([
      ...leaks('logs', stack.logLines.join('\n')),
      ...leaks('Slack messages', slackMessages.join('\n')),
      ...leaks('Discord messages', discordMessages.join('\n')),
      ...leaks('job errors', jobErrors.join('\n')),
      ...leaks('config errors', configErrors.join('\n')),
      ...leaks('metrics', metrics),
    ]).toEqual([]);
  });
});
