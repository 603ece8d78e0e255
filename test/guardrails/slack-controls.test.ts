import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/sim-types.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackHarness } from '../slack/slack-harness.js';

/**
 * Access and quota controls through the real Bolt app, Slack adapter and engine: each refusal
 * is the one sentence the user sees (an ephemeral answer on the command's response_url) and
 * costs no MiniMax create.
 */
describe('Slack access and quota controls', () => {
  let fake: FakeSlack;
  let sim: Simulator;
  let h: SlackHarness | undefined;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    sim = await createSimulator({
      apiKey: 'sim-guard-key',
      timelineMs: { preparing: 5, queueing: 5, processing: 30 },
    });
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    sim.clearFaults();
    fake.state.usergroups.clear();
  });
  afterAll(async () => {
    await sim.stop();
    await fake.close();
  });

  async function start(env: Record<string, string>) {
    h = await SlackHarness.create({ mode: 'socket', fake, sim, env });
    return h;
  }

  /** Sends `/video <text>` and resolves with the ephemeral sentence it earned. */
  async function command(text: string, opts: { userId?: string; channelId?: string } = {}) {
    const mark = fake.recorder.calls.length;
    await fake.slashCommand({ text, ...opts });
    const call = await fake.recorder.waitFor(
      (c) => c.method === 'response_url' && fake.recorder.calls.indexOf(c) >= mark,
      5_000,
      `an answer to "/video ${text}"`,
    );
    return String(call.args.text);
  }

  async function refused(text: string, opts: { userId?: string; channelId?: string } = {}) {
    const creates = sim.creates().length;
    const mark = fake.recorder.calls.length;
    const answer = await command(text, opts);
    // Policy first: a refused user costs one ephemeral sentence, no status message, no download.
    const after = fake.recorder.calls.slice(mark).map((c) => c.method);
    const posts = ['chat.postMessage', 'chat.postEphemeral', 'file_download'];
    expect(after.filter((m) => posts.includes(m))).toEqual([]);
    expect(sim.creates().length).toBe(creates);
    return answer;
  }

  it('refuses /video in a channel outside ALLOWED_CHANNELS and names the allowed one', async () => {
    await start({ ALLOWED_CHANNELS: 'C0VIDEOS' });
    expect(await refused('a cat surfing')).toBe(
      "Videos can't be made in this channel; use <#C0VIDEOS>.",
    );
  });

  it('refuses /video from a workspace outside ALLOWED_GUILDS', async () => {
    await start({ ALLOWED_GUILDS: 'T0OTHER' });
    expect(await refused('a cat surfing')).toBe(
      "This bot is not enabled for this workspace; ask the bot's owner to allow it.",
    );
  });

  it('refuses a user who is not on SLACK_ALLOWED_USERS and accepts one who is', async () => {
    await start({ SLACK_ALLOWED_USERS: 'U0BOSS' });
    expect(await refused('a cat surfing')).toBe(
      'You are not on the list of people allowed to make videos; ask a workspace admin to add you.',
    );
    await fake.slashCommand({ text: 'a dog surfing', userId: 'U0BOSS' });
    const job = await h!.waitForState(['done', 'failed']);
    expect(job).toMatchObject({ state: 'done', origin: { userId: 'U0BOSS' } });
    expect(sim.tasks.size).toBeGreaterThan(0);
  });

  const NOT_IN_GROUP =
    'You are not in a user group allowed to make videos; ask a workspace admin to add you to one.';
  const groupLookups = (since = 0) =>
    fake.recorder.calls.slice(since).filter((c) => c.method === 'usergroups.users.list');

  it('makes a video for a member of one of SLACK_ALLOWED_GROUPS', async () => {
    fake.state.usergroups.set('S0OTHER', ['U0SOMEONE']);
    fake.state.usergroups.set('S0VIDEO', ['U0SOMEONE', 'U0USER']);
    await start({ SLACK_ALLOWED_GROUPS: 'S0OTHER,S0VIDEO' });
    const mark = fake.recorder.calls.length;
    await fake.slashCommand({ text: 'a group member surfing' });
    const job = await h!.waitForState(['done', 'failed']);
    expect(job).toMatchObject({ state: 'done', origin: { userId: 'U0USER', roles: ['S0VIDEO'] } });
    expect(groupLookups(mark).map((c) => [c.args.usergroup, c.token])).toEqual([
      ['S0OTHER', fake.botToken],
      ['S0VIDEO', fake.botToken],
    ]);
  });

  it('refuses a user in none of SLACK_ALLOWED_GROUPS without a MiniMax create', async () => {
    fake.state.usergroups.set('S0VIDEO', ['U0SOMEONE']);
    await start({ SLACK_ALLOWED_GROUPS: 'S0VIDEO' });
    expect(await refused('a cat surfing')).toBe(NOT_IN_GROUP);
    expect(h!.events).toEqual([]);
  });

  it('still accepts SLACK_ALLOWED_USERS when SLACK_ALLOWED_GROUPS is also set', async () => {
    fake.state.usergroups.set('S0VIDEO', ['U0SOMEONE']);
    await start({ SLACK_ALLOWED_GROUPS: 'S0VIDEO', SLACK_ALLOWED_USERS: 'U0BOSS' });
    const mark = fake.recorder.calls.length;
    await fake.slashCommand({ text: 'the boss surfing', userId: 'U0BOSS' });
    expect((await h!.waitForState(['done', 'failed'])).state).toBe('done');
    expect(groupLookups(mark)).toEqual([]);
  });

  it('reads each allowed group from Slack once for several requests', async () => {
    fake.state.usergroups.set('S0VIDEO', ['U0USER']);
    await start({ SLACK_ALLOWED_GROUPS: 'S0VIDEO' });
    const mark = fake.recorder.calls.length;
    await fake.slashCommand({ text: 'a member surfing' });
    expect((await h!.waitForState(['done', 'failed'])).state).toBe('done');
    expect(await refused('a stranger surfing', { userId: 'U0STRANGER' })).toBe(NOT_IN_GROUP);
    expect(groupLookups(mark)).toHaveLength(1);
  });

  it('checks the groups for mentions, and refuses Regenerate of a video that is not theirs', async () => {
    fake.state.usergroups.set('S0VIDEO', ['U0USER']);
    await start({ SLACK_ALLOWED_GROUPS: 'S0VIDEO' });
    const start0 = fake.recorder.calls.length;
    await fake.slashCommand({ text: 'a red kite' });
    const first = await h!.waitForState(['done', 'failed']);
    const creates = sim.creates().length;
    const toStranger = (mark: number) =>
      fake.recorder.waitFor(
        (c) =>
          c.method === 'chat.postEphemeral' &&
          c.args.user === 'U0STRANGER' &&
          fake.recorder.calls.indexOf(c) >= mark,
      );
    let mark = fake.recorder.calls.length;
    await fake.appMention({ text: '<@U0BOT> a blue kite', userId: 'U0STRANGER' });
    expect((await toStranger(mark)).args.text).toBe(NOT_IN_GROUP);
    mark = fake.recorder.calls.length;
    await fake.blockAction({
      actionId: 'video_regenerate',
      value: first.id,
      userId: 'U0STRANGER',
      channelId: String(first.origin.ref.channel),
      messageTs: String(first.origin.ref.statusTs),
    });
    // Policy first: access is decided before anything else, so a stranger outside the groups
    // hears that (the ownership check would refuse too; test/core/engine/job-ownership.test.ts).
    expect((await toStranger(mark)).args.text).toBe(NOT_IN_GROUP);
    expect(sim.creates().length).toBe(creates);
    expect(groupLookups(start0)).toHaveLength(1);
  });

  it('refuses politely, and lets no one in, when Slack cannot list the group', async () => {
    fake.state.usergroups.set('S0VIDEO', ['U0USER']);
    fake.fail('usergroups.users.list', { error: 'missing_scope' });
    await start({ SLACK_ALLOWED_GROUPS: 'S0VIDEO' });
    const mark = fake.recorder.calls.length;
    const creates = sim.creates().length;
    const posts = fake.recorder.of('chat.postMessage').length;
    expect(await command('a cat surfing')).toBe(
      "I couldn't check your Slack user groups just now, so the video was not started; please try again in a minute.",
    );
    expect(sim.creates().length).toBe(creates);
    expect(fake.recorder.of('chat.postMessage')).toHaveLength(posts);
    // A failure is not remembered: the next request asks Slack again and gets through.
    await fake.slashCommand({ text: 'a cat surfing again' });
    expect((await h!.waitForState(['done', 'failed'])).state).toBe('done');
    const replies = groupLookups(mark).map((c) => (c.reply as { ok: boolean }).ok);
    expect(replies).toEqual([false, true]);
  });

  it('stops a user at USER_DAILY_LIMIT and says when they can try again', async () => {
    const tasksBefore = sim.tasks.size;
    await start({ USER_DAILY_LIMIT: '1' });
    await fake.slashCommand({ text: 'the first of the day' });
    expect((await h!.waitForState(['done', 'failed'])).state).toBe('done');
    const answer = await refused('the second of the day');
    expect(answer).toMatch(
      /^You have made your one video for today; you can make more in (\d+ h|\d+ min|\d+ h \d+ min) \(00:00 UTC\)\.$/,
    );
    expect(sim.tasks.size - tasksBefore).toBe(1);
  });

  it('refuses a second job while USER_MAX_ACTIVE jobs are still running', async () => {
    await start({ USER_MAX_ACTIVE: '1' });
    sim.inject({ route: 'query', kind: 'delay', ms: 1_500, times: 1 });
    await fake.slashCommand({ text: 'a long render' });
    await h!.waitForState(['generating']);
    expect(await refused('one more please')).toBe(
      'You already have a video in progress; wait for one to finish or cancel it, then try again.',
    );
  });

  it('stops everyone once the team has used TEAM_DAILY_LIMIT videos today', async () => {
    await start({ TEAM_DAILY_LIMIT: '1' });
    await fake.slashCommand({ text: 'the team video', userId: 'U0FIRST' });
    await h!.waitForState(['done', 'failed']);
    expect(await refused('my own video', { userId: 'U0SECOND' })).toMatch(
      /^This team has used all 1 videos for today; more can be made in .+ \(00:00 UTC\)\.$/,
    );
  });

  it('lets ADMIN_USERS past the per-user limits', async () => {
    await start({ ADMIN_USERS: 'U0USER', USER_DAILY_LIMIT: '1', USER_MAX_ACTIVE: '1' });
    const creates = sim.creates().length;
    const mark = fake.recorder.calls.length;
    await fake.slashCommand({ text: 'the admin makes a first video' });
    await fake.slashCommand({ text: 'the admin makes a second video' });
    await expect
      .poll(() => h!.events.filter((e) => e.state === 'done').length, { timeout: 5_000 })
      .toBe(2);
    expect(sim.creates().length - creates).toBe(2);
    expect(fake.recorder.calls.slice(mark).filter((c) => c.method === 'response_url')).toEqual([]);
  });

  it('applies a per-workspace limit set by an admin and refuses the command to anyone else', async () => {
    await start({ ADMIN_USERS: 'U0ADMIN', USER_DAILY_LIMIT: '5' });
    expect(await command('admin limit user 1', { userId: 'U0ADMIN' })).toBe(
      'Each person here can now make up to 1 video a day.',
    );
    expect(await command('admin limit user 10')).toBe(
      'Only an admin of this server or workspace can see or change its video limits.',
    );
    await fake.slashCommand({ text: 'under the new limit' });
    expect((await h!.waitForState(['done', 'failed'])).state).toBe('done');
    expect(await refused('over the new limit')).toMatch(/^You have made your one video for today/);
  });

  it('restricts channels through /video admin and lifts the restriction again', async () => {
    await start({ ADMIN_USERS: 'U0ADMIN' });
    expect(await command('admin limit channels <#C0VIDEOS|videos>', { userId: 'U0ADMIN' })).toBe(
      'Videos can now be made only in <#C0VIDEOS>.',
    );
    expect(await refused('not here')).toBe(
      "Videos can't be made in this channel; use <#C0VIDEOS>.",
    );
    expect(await command('admin limit channels any', { userId: 'U0ADMIN' })).toBe(
      'Videos can now be made in any channel here.',
    );
    expect(await command('admin', { userId: 'U0ADMIN' })).toBe(
      'Here each person may make any number of videos a day, the team has no daily budget, and videos can be made in any channel.',
    );
  });

  it('answers /video status with the running job, its state and the quota left today', async () => {
    await start({ USER_DAILY_LIMIT: '3' });
    sim.inject({ route: 'query', kind: 'delay', ms: 1_500, times: 1 });
    await fake.slashCommand({ text: 'a <b>bold</b> lighthouse' });
    await h!.waitForState(['generating']);
    const text = await command('status');
    const lines = text.split('\n');
    expect(lines[0]).toBe('You have one video in progress:');
    expect(lines[1]).toMatch(
      /^• “a &lt;b&gt;bold&lt;\/b&gt; lighthouse”: (preparing at MiniMax|waiting at MiniMax|rendering|starting), started just now$/,
    );
    expect(lines[2]).toMatch(
      /^You can make 2 more videos today; the count resets in .+ \(00:00 UTC\)\.$/,
    );
  });

  it('shows the queue position of a job waiting behind MAX_ACTIVE_JOBS', async () => {
    await start({ MAX_ACTIVE_JOBS: '1' });
    sim.inject({ route: 'query', kind: 'delay', ms: 1_500, times: 1 });
    await fake.slashCommand({ text: 'first in line', userId: 'U0OTHER' });
    await h!.waitForState(['generating']);
    await fake.slashCommand({ text: 'second in line' });
    await expect
      .poll(
        () =>
          h!.events.some(
            (e) =>
              e.kind === 'position' && e.job.origin.userId === 'U0USER' && e.queuePosition === 1,
          ),
        { timeout: 5_000 },
      )
      .toBe(true);
    const text = await command('status');
    expect(text).toContain('• “second in line”: waiting in line, position 1, started just now');
    expect(text).toContain('You have no daily video limit.');
  });
});
