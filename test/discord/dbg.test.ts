import { it } from 'vitest';
import { DiscordHarness } from './discord-harness.js';
it('dbg', async () => {
  const h = await DiscordHarness.create({});
  h.fake.rateLimitNext('PATCH', /@original$/, 0.05);
  const t0 = Date.now();
  h.fake.slashCommand('video', { prompt: 'busy day' });
  await h.waitForJob(() => true, ['done']);
  const lines = h.fake.recorder.requests.map((r) => `${r.at - t0} ${r.method} ${r.path.slice(0, 40)} ${r.status}`);
  console.log(lines.join('\n'));
  await h.close();
});
