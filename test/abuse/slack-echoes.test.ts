import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/sim-types.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackHarness } from '../slack/slack-harness.js';

/** Methods through which the bot's words reach a channel or a user. */
const SENDING = new Set([
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'files.completeUploadExternal',
  'response_url',
]);

/**
 * Issue #12: a prompt echoed back through the real Bolt app can neither ping a channel with the
 * bot's rights nor plant a link that shows other words than its address.
 */
describe('Slack abuse cases', () => {
  let fake: FakeSlack;
  let sim: Simulator;
  let h: SlackHarness | undefined;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    sim = await createSimulator({
      apiKey: 'sim-abuse-key',
      timelineMs: { preparing: 5, queueing: 5, processing: 30 },
    });
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  afterAll(async () => {
    await sim.stop();
    await fake.close();
  });

  for (const [how, prompt] of [
    ['escaped by Slack', '&lt;!channel&gt; look &lt;https://evil.example|HD&gt; &amp; more'],
    ['as raw syntax', '<!channel> look <https://evil.example|HD> & more'],
  ] as const) {
    it(`sends no mention and no disguised link for a prompt ${how}`, async () => {
      h = await SlackHarness.create({ mode: 'socket', fake, sim, env: {} });
      const mark = fake.recorder.calls.length;
      await fake.slashCommand({ text: prompt });
      const job = await h.waitForState(['done', 'failed']);
      expect(job.state).toBe('done');
      expect(job.request.prompt).toContain('<!channel>');
      await fake.recorder.waitForCall('files.completeUploadExternal');
      const sent = fake.recorder.calls
        .slice(mark)
        .filter((c) => SENDING.has(c.method))
        .map((c) => JSON.stringify(c.args));
      expect(sent.some((s) => s.includes('&lt;!channel&gt;'))).toBe(true);
      for (const text of sent) {
        expect(text).not.toContain('<!channel>');
        expect(text).not.toContain('<https://evil');
      }
    });
  }
});
