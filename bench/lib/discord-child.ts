import { startFakeDiscord } from '../../test/fakes/discord/fake-discord.js';
import type { FakeInteraction } from '../../test/fakes/discord/fake-state.js';

/**
 * Child side of discord-process.ts: the fake Discord in its own process, as the real one is
 * remote, so the bot's measured latency does not include the fake's own work.
 */
const fake = await startFakeDiscord({ ackDeadlineMs: 60_000 });

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !condition()) await new Promise((r) => setTimeout(r, 10));
}

function burst(count: number, label: string, firstUser: number): FakeInteraction[] {
  return Array.from({ length: count }, (_, i) =>
    fake.slashCommand(
      'video',
      { prompt: `${label} ${i}: a paper boat in the rain` },
      {
        user: {
          id: String(1_200_000_000_000_000_000n + BigInt(firstUser + i)),
          username: `user${firstUser + i}`,
        },
      },
    ),
  );
}

process.on(
  'message',
  async (msg: { type: string; count?: number; label?: string; firstUser?: number }) => {
    if (msg.type === 'identify') {
      await fake.waitForIdentify();
      process.send?.({ type: 'identified' });
    } else if (msg.type === 'burst') {
      const sent = burst(msg.count ?? 1, msg.label ?? 'cmd', msg.firstUser ?? 0);
      await waitUntil(() => sent.every((i) => i.ackedAt !== undefined), 30_000);
      process.send?.({
        type: 'acks',
        acks: sent.map((i) => ({
          latencyMs: i.ackedAt === undefined ? null : i.ackedAt - i.dispatchedAt,
          ackType: i.ackType ?? null,
        })),
      });
    } else if (msg.type === 'stop') {
      await fake.stop();
      process.exit(0);
    }
  },
);
process.on('disconnect', () => process.exit(0));
process.send?.({
  type: 'ready',
  token: fake.token,
  applicationId: fake.applicationId,
  apiUrl: fake.apiUrl,
});
