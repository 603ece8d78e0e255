import { PolicyError } from '../core/errors.js';
import type { JobOrigin } from '../core/jobs/job.js';
import type {
  EffectiveLimits,
  SubmitPolicy,
  WorkspaceOverride,
} from '../core/policy/submit-policy.js';
import { formatMoney } from '../core/pricing/price-table.js';

/** One admin command, whatever the platform's syntax. `default` goes back to the env setting. */
export type AdminChange =
  | { kind: 'show' }
  | { kind: 'user_limit'; limit: number | 'default' }
  | { kind: 'team_limit'; limit: number | 'default' }
  | { kind: 'channels'; channels: string[] | 'any' | 'default' }
  /** The team's money budget per day or month (issue #14), in the price table's currency. */
  | { kind: 'team_budget'; period: 'day' | 'month'; amount: number | 'default' };

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

const channelListZh = (ids: string[]) => ids.map((id) => `<#${id}>`).join('、');
const perDayZh = (n: number) =>
  n === 0 ? '每天可生成任意数量的视频' : `每天最多可生成 ${n} 个视频`;
const budgetZh = (n: number) => (n > 0 ? `每天最多 ${n} 个视频` : '不限');

/** Admins with a 'zh…' locale get the Chinese sentences; everyone else English. */
const isZh = (locale: string | undefined) => locale?.toLowerCase().startsWith('zh') ?? false;

/** One sentence describing the limits in force for a workspace. */
export function describeLimits(limits: EffectiveLimits, locale?: string): string {
  if (isZh(locale)) {
    const atOnce = limits.userMaxActive > 0 ? `（同时最多 ${limits.userMaxActive} 个）` : '';
    const team =
      limits.teamDaily > 0 ? `团队每天最多 ${limits.teamDaily} 个视频` : '团队没有每日总额度';
    const where =
      limits.channels.length > 0
        ? `只能在 ${channelListZh(limits.channels)} 中生成视频`
        : '可以在任意频道生成视频';
    return `此处每人${perDayZh(limits.userDaily)}${atOnce}，${team}，${where}。${budgetsZh(limits)}`;
  }
  const atOnce = limits.userMaxActive > 0 ? ` (${limits.userMaxActive} at once)` : '';
  const team = limits.teamDaily > 0 ? `up to ${limits.teamDaily} a day` : 'no daily budget';
  const where =
    limits.channels.length > 0 ? `only in ${channelList(limits.channels)}` : 'in any channel';
  return `Here each person may make ${perDay(limits.userDaily, 'videos')}${atOnce}, the team has ${team}, and videos can be made ${where}.${budgetsEn(limits)}`;
}

type Change = Exclude<AdminChange, { kind: 'show' }>;

/** The team's money budgets, or nothing when none is set. */
function budgetsEn(l: EffectiveLimits): string {
  const parts = [
    ...(l.teamDailyBudget > 0 ? [`${formatMoney(l.teamDailyBudget, l.currency)} a day`] : []),
    ...(l.teamMonthlyBudget > 0 ? [`${formatMoney(l.teamMonthlyBudget, l.currency)} a month`] : []),
  ];
  return parts.length ? ` The team may spend ${parts.join(' and ')}.` : '';
}

function budgetsZh(l: EffectiveLimits): string {
  const parts = [
    ...(l.teamDailyBudget > 0 ? [`每天 ${formatMoney(l.teamDailyBudget, l.currency)}`] : []),
    ...(l.teamMonthlyBudget > 0 ? [`每月 ${formatMoney(l.teamMonthlyBudget, l.currency)}`] : []),
  ];
  return parts.length ? `团队预算：${parts.join('，')}。` : '';
}

function patchOf(change: Change): WorkspaceOverride {
  if (change.kind === 'team_budget') {
    const value = change.amount === 'default' ? null : change.amount;
    return change.period === 'day' ? { teamDailyBudget: value } : { teamMonthlyBudget: value };
  }
  if (change.kind === 'user_limit')
    return { userDailyLimit: change.limit === 'default' ? null : change.limit };
  if (change.kind === 'team_limit')
    return { teamDailyLimit: change.limit === 'default' ? null : change.limit };
  const c = change.channels;
  return { allowedChannels: c === 'default' ? null : c === 'any' ? [] : c };
}

function answerOf(change: Change, now: EffectiveLimits): string {
  if (change.kind === 'team_budget') {
    const amount = change.period === 'day' ? now.teamDailyBudget : now.teamMonthlyBudget;
    const per = change.period === 'day' ? 'day' : 'month';
    return amount > 0
      ? `This team may now spend up to ${formatMoney(amount, now.currency)} a ${per}.`
      : `This team now has no ${per}ly money budget.`;
  }
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

function answerOfZh(change: Change, now: EffectiveLimits): string {
  if (change.kind === 'team_budget') {
    const amount = change.period === 'day' ? now.teamDailyBudget : now.teamMonthlyBudget;
    const per = change.period === 'day' ? '每天' : '每月';
    return amount > 0
      ? `现在此团队${per}最多可花费 ${formatMoney(amount, now.currency)}。`
      : `现在此团队没有${per}预算。`;
  }
  if (change.kind === 'user_limit') {
    if (change.limit === 'default')
      return `此处的每人限额已恢复为机器人的设置：${perDayZh(now.userDaily)}。`;
    return `现在此处每人${perDayZh(change.limit)}。`;
  }
  if (change.kind === 'team_limit') {
    if (change.limit === 'default')
      return `此处的团队总额度已恢复为机器人的设置：${budgetZh(now.teamDaily)}。`;
    return `现在此团队的总额度为：${budgetZh(now.teamDaily)}。`;
  }
  const where =
    now.channels.length > 0
      ? `只能在 ${channelListZh(now.channels)} 中生成视频`
      : '可以在此处任意频道生成视频';
  if (change.channels === 'default') return `频道列表已恢复为机器人的设置：${where}。`;
  return `现在${where}。`;
}

/**
 * Runs one admin command against the policy and answers in one sentence, in Chinese when the
 * admin's origin has a 'zh…' locale. Throws PolicyError (not an admin, raising a limit above
 * the owner's, bad number) with its own sentence.
 */
export async function applyAdminChange(
  policy: AdminPolicy,
  by: JobOrigin,
  change: AdminChange,
): Promise<string> {
  if (!policy.isAdmin(by)) {
    throw new PolicyError({ code: 'not_admin', textKey: 'not_admin_see' });
  }
  const workspaceId = by.workspaceId;
  if (!workspaceId) {
    throw new PolicyError({ code: 'no_workspace' });
  }
  if (change.kind === 'show') return describeLimits(await policy.limits(workspaceId), by.locale);
  await policy.setOverride(workspaceId, patchOf(change), by);
  const now = await policy.limits(workspaceId);
  return isZh(by.locale) ? answerOfZh(change, now) : answerOf(change, now);
}
