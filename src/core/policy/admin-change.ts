import { PolicyError } from '../errors.js';
import type { JobOrigin } from '../jobs/job.js';
import type { EffectiveLimits, SubmitPolicy, WorkspaceOverride } from './submit-policy.js';

/** One admin command, whatever the platform's syntax. `default` goes back to the env setting. */
export type AdminChange =
  | { kind: 'show' }
  | { kind: 'user_limit'; limit: number | 'default' }
  | { kind: 'team_limit'; limit: number | 'default' }
  | { kind: 'channels'; channels: string[] | 'any' | 'default' };

export type AdminPolicy = Pick<SubmitPolicy, 'isAdmin' | 'limits' | 'setOverride'>;

const channelList = (ids: string[]) => {
  const mentions = ids.map((id) => `<#${id}>`);
  return mentions.length <= 1
    ? (mentions[0] ?? '')
    : `${mentions.slice(0, -1).join(', ')} and ${mentions.at(-1)}`;
};

const perDay = (n: number, what: string) =>
  n === 0
    ? `any number of ${what} a day`
    : `up to ${n} ${n === 1 ? what.slice(0, -1) : what} a day`;

/** One sentence describing the limits in force for a workspace. */
export function describeLimits(limits: EffectiveLimits): string {
  const atOnce = limits.userMaxActive > 0 ? ` (${limits.userMaxActive} at once)` : '';
  const team = limits.teamDaily > 0 ? `up to ${limits.teamDaily} a day` : 'no daily budget';
  const where =
    limits.channels.length > 0 ? `only in ${channelList(limits.channels)}` : 'in any channel';
  return `Here each person may make ${perDay(limits.userDaily, 'videos')}${atOnce}, the team has ${team}, and videos can be made ${where}.`;
}

function patchOf(change: Exclude<AdminChange, { kind: 'show' }>): WorkspaceOverride {
  if (change.kind === 'user_limit')
    return { userDailyLimit: change.limit === 'default' ? null : change.limit };
  if (change.kind === 'team_limit')
    return { teamDailyLimit: change.limit === 'default' ? null : change.limit };
  const c = change.channels;
  return { allowedChannels: c === 'default' ? null : c === 'any' ? [] : c };
}

function answerOf(change: Exclude<AdminChange, { kind: 'show' }>, now: EffectiveLimits): string {
  if (change.kind === 'user_limit') {
    if (change.limit === 'default')
      return `The per-person limit here is back to the bot's setting: ${perDay(now.userDaily, 'videos')}.`;
    return `Each person here can now make ${perDay(change.limit, 'videos')}.`;
  }
  if (change.kind === 'team_limit') {
    const budget = now.teamDaily > 0 ? `up to ${now.teamDaily} videos a day` : 'no daily budget';
    if (change.limit === 'default')
      return `The team budget here is back to the bot's setting: ${budget}.`;
    return `This team now has ${budget} in total.`;
  }
  const where =
    now.channels.length > 0 ? `only in ${channelList(now.channels)}` : 'in any channel here';
  if (change.channels === 'default')
    return `The channel list is back to the bot's setting: videos can be made ${where}.`;
  return `Videos can now be made ${where}.`;
}

/**
 * Runs one admin command against the policy and answers in one sentence. Throws PolicyError
 * (not an admin, raising a limit above the owner's, bad number) with its own sentence.
 */
export async function applyAdminChange(
  policy: AdminPolicy,
  by: JobOrigin,
  change: AdminChange,
): Promise<string> {
  if (!policy.isAdmin(by)) {
    throw new PolicyError(
      'not_admin',
      'Only an admin of this server or workspace can see or change its video limits.',
      undefined,
      '只有此服务器或工作区的管理员才能查看或修改视频限额。',
    );
  }
  const workspaceId = by.workspaceId;
  if (!workspaceId) {
    throw new PolicyError(
      'no_workspace',
      'Video limits belong to a server or workspace; use this command in one of its channels.',
      undefined,
      '视频限额属于某个服务器或工作区，请在其中的频道里使用此命令。',
    );
  }
  if (change.kind === 'show') return describeLimits(await policy.limits(workspaceId));
  await policy.setOverride(workspaceId, patchOf(change), by);
  return answerOf(change, await policy.limits(workspaceId));
}
