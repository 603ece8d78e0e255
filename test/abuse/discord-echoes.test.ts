import { describe, expect, it } from 'vitest';
import { type DiscordHarness, useDiscordHarness } from '../discord/discord-harness.js';
import { AppStack } from '../faults/app-stack.js';

const MANAGE_GUILD = 1n << 5n;
const BOB = { id: '1100000000000000099', username: 'bob' };
const EVIL = '@everyone see [HD](https://evil.example/x) <@&1100000000000000555>';

/** Every message body the bot sent to Discord (interaction callbacks, webhooks, channels). */
function sentBodies(h: DiscordHarness): { content: string; allowed?: unknown }[] {
  const out: { content: string; allowed?: unknown }[] = [];
  for (const r of h.fake.recorder.requests) {
    if (r.method !== 'POST' && r.method !== 'PATCH') continue;
    const body = r.body as Record<string, unknown> | undefined;
    const msg = (body?.['data'] as Record<string, unknown> | undefined) ?? body;
    if (typeof msg?.['content'] !== 'string') continue;
    out.push({ content: msg['content'], allowed: msg['allowed_mentions'] });
  }
  return out;
}

/**
 * Issue #12, abuse cases on Discord through the real discord.js client against the fake: prompts
 * echoed back ping no one and mask no link, and ADMIN_USERS and ALLOWED_CHANNELS hold on every
 * button and command.
 */
describe('Discord abuse cases', () => {
  const discord = useDiscordHarness();

  it('echoes a prompt with @everyone and a masked link without pinging or hiding the link', async () => {
    const h = await discord.start({
      simOptions: { timelineMs: { preparing: 10, queueing: 10, processing: 40 } },
    });
    const messageId = await h.replyIdOf(h.fake.slashCommand('video', { prompt: EVIL }));
    await h.waitForJob(() => true, ['done']);
    await expect
      .poll(() => h.fake.state.messages.get(messageId)?.content ?? '', { timeout: 5_000 })
      .toContain('evil.example');
    const bodies = sentBodies(h);
    expect(bodies.some((b) => b.content.includes('@everyone'))).toBe(true);
    for (const body of bodies) {
      expect(body.allowed).toMatchObject({ parse: [] });
      // Only the escaped form `\[HD\](…)` may appear: Discord renders it as typed.
      expect(body.content).not.toMatch(/(^|[^\\])\[HD\]\(/);
    }
  });

  it('lets an ADMIN_USERS member without Manage Server cancel anyone’s video', async () => {
    const h = await discord.start({
      env: { ADMIN_USERS: BOB.id },
      simOptions: { timelineMs: { preparing: 10, queueing: 10, processing: 5_000 } },
    });
    const messageId = await h.replyIdOf(h.fake.slashCommand('video', { prompt: 'slow' }));
    await expect.poll(() => h.sim.creates().length, { timeout: 10_000 }).toBe(1);
    const cancel = JSON.stringify(h.fake.state.messages.get(messageId)?.components ?? []).match(
      /video:cancel:[^"]+/,
    )?.[0];
    expect(cancel).toBeDefined();
    h.fake.button(cancel!, messageId, { user: BOB });
    const job = await h.waitForJob(() => true, ['cancelled']);
    expect(job.cancelRequestedBy).toBe(BOB.id);
  });

  it('refuses `channels any` from a Manage Server member while ALLOWED_CHANNELS is set', async () => {
    // The full app (createApp), since the admin command needs the submit policy it wires.
    const stack = await AppStack.start({
      slack: false,
      discord: true,
      env: { ALLOWED_CHANNELS: '1100000000000000003' },
    });
    try {
      const fake = stack.discord!;
      const i = fake.dispatchInteraction(
        2,
        {
          id: fake.state.ids.next(),
          name: 'video-admin',
          type: 1,
          options: [
            { name: 'channels', type: 1, options: [{ name: 'channels', type: 3, value: 'any' }] },
          ],
        },
        { permissions: MANAGE_GUILD },
      );
      const text = () => {
        const id = fake.state.interactions.get(i.id)?.originalMessageId ?? '';
        return fake.state.messages.get(id)?.content ?? '';
      };
      await expect
        .poll(text, { timeout: 5_000 })
        .toBe(
          "The bot's owner limits videos to some channels, so they cannot be opened to every channel here; list channels from the owner's list instead.",
        );
      expect(await stack.app.store.getValue('policy:override:1100000000000000002')).toBeUndefined();
    } finally {
      await stack.close();
    }
  });
});
