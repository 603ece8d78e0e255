import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeFile } from '../fakes/slack/state.js';
import { AppStack } from '../faults/app-stack.js';
import { fixture } from '../slack/slack-harness.js';

/**
 * Input safety through the whole bot: attachments only from allowed hosts, images judged by
 * their bytes, and prompts handed to MiniMax exactly as typed, with no way into other fields.
 */
describe('input and network safety', () => {
  let stack: AppStack;

  beforeAll(async () => {
    stack = await AppStack.start({ discord: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Mentions the bot with `files` and resolves with the ephemeral answer it earned. */
  async function mention(text: string, files: FakeFile[]): Promise<string> {
    const slack = stack.slack!;
    const mark = slack.recorder.calls.length;
    await slack.appMention({ text: `<@U0BOT> ${text}`, files });
    const answer = await slack.recorder.waitFor(
      (c) => c.method === 'chat.postEphemeral' && slack.recorder.calls.indexOf(c) >= mark,
    );
    return String(answer.args.text);
  }

  it('refuses an attachment hosted outside Slack, Discord and the API hosts without fetching it', async () => {
    const slack = stack.slack!;
    const real = slack.addUserFile(await fixture('frame.png'), 'frame.png');
    const elsewhere: FakeFile = {
      ...real,
      url_private: 'https://files.attacker.example/frame.png',
      url_private_download: 'https://files.attacker.example/frame.png?download=1',
    };
    const creates = stack.sim.creates().length;
    expect(await mention('animate this', [elsewhere])).toBe(
      'That attachment is not hosted by Slack, so it was not downloaded; upload the image directly.',
    );
    expect(stack.sim.creates().length).toBe(creates);
    expect(slack.recorder.calls.filter((c) => c.method === 'file_download')).toHaveLength(0);
  });

  it('judges an image by its bytes: a text file named .png is refused', async () => {
    const slack = stack.slack!;
    const fakePng = slack.addUserFile(await fixture('not-image.png'), 'holiday.png');
    const creates = stack.sim.creates().length;
    expect(await mention('animate this', [fakePng])).toMatch(
      /is not a JPG, PNG or WebP image.*; attach a photo in one of those formats\.$/,
    );
    expect(stack.sim.creates().length).toBe(creates);
  });

  it('hands a Slack prompt full of JSON, quotes and markup to MiniMax unchanged', async () => {
    const typed =
      'a "quoted" {"model":"T2V-01","duration":10,"prompt_optimizer":false} <b>cat</b> & {{x}} \'nope\'';
    // Slack escapes <, > and & in slash command text; the bot undoes exactly that.
    const sent = typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    await stack.slack!.slashCommand({ text: sent });
    const job = await stack.waitForJob((j) => j.request.prompt.includes('quoted'));
    expect(job.state).toBe('done');
    const task = [...stack.sim.tasks.values()].find((t) =>
      String(t.body.prompt).includes('quoted'),
    )!;
    expect(task.body).toMatchObject({
      prompt: typed,
      model: 'MiniMax-Hailuo-2.3',
      duration: 6,
      prompt_optimizer: true,
    });
  });

  it('hands a Discord prompt to MiniMax unchanged, mentions and newlines included', async () => {
    const typed = '@everyone look\n{"model":"I2V-01"} [Pan left] `code` <@123>';
    stack.discord!.slashCommand('video', { prompt: typed });
    const job = await stack.waitForJob((j) => j.request.prompt.startsWith('@everyone'));
    expect(job.state).toBe('done');
    const task = [...stack.sim.tasks.values()].find((t) =>
      String(t.body.prompt).startsWith('@everyone'),
    )!;
    expect(task.body).toMatchObject({ prompt: typed, model: 'MiniMax-Hailuo-2.3' });
  });
});
