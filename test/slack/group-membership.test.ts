import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/core/errors.js';
import { GROUP_CACHE_TTL_MS, GroupMembership } from '../../src/slack/group-membership.js';
import { FakeClock } from '../core/engine/fake-clock.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { silent, slackApiFor } from './slack-harness.js';

describe('GroupMembership', () => {
  let fake: FakeSlack;
  let clock: FakeClock;
  let stop: AbortController;

  beforeEach(async () => {
    fake = await FakeSlack.start();
    clock = new FakeClock();
    stop = new AbortController();
  });
  afterEach(async () => {
    stop.abort();
    await fake.close();
  });

  function membership(groups: string[]) {
    const api = slackApiFor(fake, clock, stop.signal);
    return new GroupMembership({ api, clock, logger: silent, groups });
  }
  const lookups = () => fake.recorder.calls.filter((c) => c.method === 'usergroups.users.list');

  it('returns only the allowed groups the user is a member of', async () => {
    fake.state.usergroups.set('S1', ['U1', 'U2']);
    fake.state.usergroups.set('S2', ['U2']);
    const groups = membership(['S1', 'S2']);
    expect(await groups.groupsOf('U1')).toEqual(['S1']);
    expect(await groups.groupsOf('U2')).toEqual(['S1', 'S2']);
    expect(await groups.groupsOf('U3')).toEqual([]);
    expect(lookups().map((c) => c.args.usergroup)).toEqual(['S1', 'S2']);
  });

  it('asks Slack again once the five-minute cache has expired', async () => {
    fake.state.usergroups.set('S1', ['U1']);
    const groups = membership(['S1']);
    expect(await groups.groupsOf('U2')).toEqual([]);
    fake.state.usergroups.set('S1', ['U1', 'U2']);
    await clock.advance(GROUP_CACHE_TTL_MS - 1);
    expect(await groups.groupsOf('U2')).toEqual([]);
    await clock.advance(1);
    expect(await groups.groupsOf('U2')).toEqual(['S1']);
    expect(lookups()).toHaveLength(2);
  });

  it('shares one lookup between requests that arrive together', async () => {
    fake.state.usergroups.set('S1', ['U1']);
    const groups = membership(['S1']);
    const both = await Promise.all([groups.groupsOf('U1'), groups.groupsOf('U2')]);
    expect(both).toEqual([['S1'], []]);
    expect(lookups()).toHaveLength(1);
  });

  it('throws a PolicyError with a plain sentence when Slack cannot list the group', async () => {
    fake.fail('usergroups.users.list', { error: 'missing_scope' });
    const groups = membership(['S1']);
    const err = await groups.groupsOf('U1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).code).toBe('group_lookup_failed');
    expect((err as PolicyError).userMessage).not.toContain('missing_scope');
  });

  it('is off when no groups are configured', () => {
    expect(membership([]).isEnabled).toBe(false);
    expect(membership(['S1']).isEnabled).toBe(true);
  });
});
