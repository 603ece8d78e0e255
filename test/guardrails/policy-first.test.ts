// Load order matters: src/main.ts loads undici 7 before discord.js brings its undici 6 (see
// discord-controls.test.ts).
import 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/sim-types.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { fileJson } from '../fakes/slack/state.js';
import { AppStack } from '../faults/app-stack.js';

/** Just under MiniMax's 20 MB cap, so only the policy can stop the download. */
const BIG = 20 * 1024 * 1024 - 1;
const bigImage = (name: string) => ({
  filename: name,
  bytes: Buffer.alloc(BIG, 7),
  contentType: 'image/png',
});

/**
 * Abuse that costs nothing (#12): a refused user's `/video` with three 20 MB images is answered
 * with one sentence before a single byte is fetched and before anything is posted, through the
 * real discord.js and Bolt clients that `serve` builds.
 */
describe('policy first: a refused request fetches nothing and posts nothing', () => {
  let sim: Simulator;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let stack: AppStack | undefined;

  beforeAll(async () => {
    sim = await createSimulator({
      apiKey: 'sim-policy-first',
      timelineMs: { preparing: 5, queueing: 5, processing: 20 },
    });
    discord = await startFakeDiscord();
    slack = await FakeSlack.start();
  });
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  afterAll(async () => {
    await sim.stop();
    await discord.stop();
    await slack.close();
  });

  const cdnRequests = () => discord.recorder.requests.filter((r) => r.path.startsWith('/cdn/'));

  it('Discord: /video with three 20 MB images past USER_DAILY_LIMIT fetches 0 bytes', async () => {
    stack = await AppStack.start({
      slack: false,
      discord: true,
      fakeDiscord: discord,
      sim,
      env: { USER_DAILY_LIMIT: '1' },
    });
    discord.slashCommand('video', { prompt: 'the one video of the day' });
    await stack.waitForJob();
    const creates = sim.creates().length;
    const messages = discord.messagesIn().length;
    const fetched = cdnRequests().length;

    const i = discord.slashCommand('video', {
      prompt: 'one too many',
      image: bigImage('a.png'),
      last_frame: bigImage('b.png'),
      subject: bigImage('c.png'),
    });
    const fakeI = discord.state.interactions.get(i.id)!;
    await expect
      .poll(() => discord.state.messages.get(fakeI.originalMessageId ?? '')?.content, {
        timeout: 5_000,
      })
      .toMatch(/^❌ You have made your one video for today; you can make more in .+\.$/);
    // One answer: the deferred reply, edited to the sentence; nothing else in the channel.
    expect(discord.messagesIn().length - messages).toBe(1);
    expect(cdnRequests().length - fetched).toBe(0);
    expect(sim.creates().length).toBe(creates);
  });

  it('Discord: a mention with two 20 MB images from a refused member gets one reply and fetches nothing', async () => {
    stack = await AppStack.start({
      slack: false,
      discord: true,
      fakeDiscord: discord,
      sim,
      env: { ALLOWED_CHANNELS: '1100000000000000999' },
    });
    const messages = discord.messagesIn().length;
    const fetched = cdnRequests().length;
    discord.userMessage({
      content: `<@${discord.bot.id}> animate these`,
      mentionBot: true,
      files: [bigImage('a.png'), bigImage('b.png')],
    });
    await expect
      .poll(
        () =>
          discord
            .messagesIn()
            .slice(messages + 1)
            .map((m) => m.content),
        {
          timeout: 5_000,
        },
      )
      .toEqual(["❌ Videos can't be made in this channel; use <#1100000000000000999>."]);
    expect(cdnRequests().length - fetched).toBe(0);
  });

  it('Slack: the /video form with three 20 MB images from a refused user downloads nothing and posts no draft', async () => {
    stack = await AppStack.start({
      slack: 'socket',
      fakeSlack: slack,
      sim,
      env: { SLACK_ALLOWED_USERS: 'U0BOSS' },
    });
    const files = ['a.png', 'b.png', 'c.png'].map((name) =>
      slack.addUserFile(Buffer.alloc(BIG, 7), name),
    );
    const before = slack.state.views.length;
    await slack.slashCommand({ text: '' });
    await slack.recorder.waitFor(() => slack.state.views.length > before);
    const view = slack.state.views.at(-1)!;
    const mark = slack.recorder.calls.length;
    const input = (f: (typeof files)[number]) => ({
      value: { type: 'file_input', files: [fileJson(f)] },
    });
    const select = { value: { type: 'static_select', selected_option: null } };
    await slack.viewSubmission({
      view,
      values: {
        prompt: { value: { type: 'plain_text_input', value: 'three big frames' } },
        model: select,
        duration: select,
        resolution: select,
        camera: select,
        first_frame: input(files[0]!),
        last_frame: input(files[1]!),
        subject: input(files[2]!),
      },
    });
    const answer = await slack.recorder.waitForCall('chat.postEphemeral');
    expect(answer.args.text).toBe(
      'You are not on the list of people allowed to make videos; ask a workspace admin to add you.',
    );
    await new Promise((r) => setTimeout(r, 200));
    const calls = slack.recorder.calls.slice(mark).map((c) => c.method);
    expect(calls.filter((m) => m === 'file_download')).toEqual([]);
    expect(calls.filter((m) => m.startsWith('chat.'))).toEqual(['chat.postEphemeral']);
    expect(stack.jobs()).toEqual([]);
  });
});
