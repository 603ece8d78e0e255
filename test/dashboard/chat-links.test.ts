import { afterEach, describe, expect, it } from 'vitest';
import { useDiscordHarness } from '../discord/discord-harness.js';
import { SlackHarness } from '../slack/slack-harness.js';

/** The chat side of the dashboard: private one-time links, and a clear sentence without PUBLIC_URL. */
describe('dashboard sign-in links from the chat', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const discord = useDiscordHarness();

  it('Slack: /video dashboard answers privately with a link that opens a session', async () => {
    h = await SlackHarness.create({ mode: 'http', env: { PUBLIC_URL: 'http://127.0.0.1:9' } });
    await h.fake.slashCommand({ text: 'dashboard', userId: 'U0ALICE' });
    const answer = await h.fake.recorder.waitForCall('response_url');
    expect(answer.args.response_type).toBe('ephemeral');
    expect(answer.args.unfurl_links).toBe(false);
    const url = /<(http:\/\/\S+\/dashboard\/signin\?token=([\w-]+))>/.exec(
      String(answer.args.text),
    );
    expect(url).not.toBeNull();
    // The link is for this bot's own server: open it there (PUBLIC_URL is only its public name).
    const local = `${h.app.server!.url}/dashboard/signin?token=${url![2]}`;
    const shown = await fetch(local, { redirect: 'manual' });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('set-cookie')).toBeNull();
    expect(await shown.text()).toContain('name="token"');
    const post = () =>
      fetch(`${h!.app.server!.url}/dashboard/signin`, {
        method: 'POST',
        body: new URLSearchParams({ token: url![2]! }),
        redirect: 'manual',
      });
    const signIn = await post();
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const api = await fetch(`${h.app.server!.url}/dashboard/api/videos`, { headers: { cookie } });
    expect(api.status).toBe(200);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await api.json()).toEqual([]);
    expect((await fetch(local, { redirect: 'manual' })).status).toBe(403);
    expect((await post()).status).toBe(403);
    expect(h.sim.creates()).toHaveLength(0);
  });

  it('Discord: /video-dashboard without PUBLIC_URL says what is missing, privately', async () => {
    const d = await discord.start();
    const reply = await d.replyIdOf(d.fake.slashCommand('video-dashboard', {}));
    await expect
      .poll(() => d.fake.state.messages.get(reply)?.content, { timeout: 10_000 })
      .toBe(
        'The dashboard needs the bot to have a public address (PUBLIC_URL); ask whoever runs the bot to set it.',
      );
    const callback = d.fake.recorder.find('POST', /\/callback$/).at(-1)!;
    expect(callback.body).toMatchObject({ type: 5, data: { flags: 64 } });
  });
});
