import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { PolicyError } from '../errors.js';
import type { JobOrigin } from '../jobs/job.js';
import type { JobStore } from '../jobs/job-store.js';
import { COUNTER_TTL_MS, formatWait, formatWaitZh, nextUtcMidnight, utcDay } from './quota-day.js';

type PolicyConfig = Pick<
  Config,
  | 'ALLOWED_CHANNELS'
  | 'ALLOWED_GUILDS'
  | 'ADMIN_USERS'
  | 'USER_DAILY_LIMIT'
  | 'USER_MAX_ACTIVE'
  | 'TEAM_DAILY_LIMIT'
>;

/**
 * One platform's own access rules, handed in by the composition root (src/platform-access.ts)
 * so the core names no platform: role lists, allow-lists and what a workspace is called there.
 */
export interface PlatformAccess {
  /** What users call a workspace on this platform, in both languages. Default server / 服务器. */
  workspaceName?: { en: string; zh: string };
  /** Throws PolicyError when this user may not make videos; admins never reach it. */
  checkUser?(origin: JobOrigin): void;
}

/**
 * Per-workspace settings an admin can change at run time; they replace the global value.
 * `null` clears a field back to the global setting. Limits: 0 = unlimited.
 */
export interface WorkspaceOverride {
  userDailyLimit?: number | null;
  teamDailyLimit?: number | null;
  allowedChannels?: string[] | null;
}
export type StoredOverride = { [K in keyof WorkspaceOverride]?: NonNullable<WorkspaceOverride[K]> };

export interface QuotaStatus {
  /** Videos the user may still start today; undefined when unlimited. */
  userRemaining?: number;
  /** Videos the whole workspace may still start today; undefined when unlimited. */
  teamRemaining?: number;
  /** The smaller of the two; undefined when both are unlimited (or the user is an admin). */
  remainingToday?: number;
  /** When the daily counters reset: next 00:00 UTC (epoch ms). */
  resetsAt: number;
}

/** Who a quota question is about; the job engine's status() knows only platform and user. */
export type QuotaSubject = Pick<JobOrigin, 'platform' | 'userId'> & Partial<JobOrigin>;

/** The limits in force for one workspace: its overrides over the global settings. 0 = unlimited. */
export interface EffectiveLimits {
  userDaily: number;
  teamDaily: number;
  userMaxActive: number;
  /** Empty = any channel. */
  channels: string[];
}

export interface SubmitPolicy {
  /** Throws PolicyError (one sentence, with when to try again) if this request may not start. */
  check(origin: JobOrigin, ctx: { activeJobsOfUser: number }): Promise<void>;
  /** Counts an accepted job against today's user and team quotas. */
  recordAccepted(origin: JobOrigin): Promise<void>;
  /**
   * Videos the user may still start today (undefined when unlimited), for /video status. Without
   * a workspaceId, the workspace of the user's latest job is used.
   */
  remaining(origin: QuotaSubject): Promise<number | undefined>;
  /** The detailed form of `remaining`. */
  quotaStatus(origin: QuotaSubject): Promise<QuotaStatus>;
  /** ADMIN_USERS (bot owners) or a workspace admin flagged by the adapter. */
  isAdmin(origin: JobOrigin): boolean;
  getOverride(workspaceId: string): Promise<StoredOverride>;
  /** The limits in force for a workspace (or the global ones without it), for admin answers. */
  limits(workspaceId?: string): Promise<EffectiveLimits>;
  /**
   * Merges `patch` into the workspace's overrides. With `by`, checks that it is an ADMIN_USERS
   * member, or an admin of that workspace who only lowers limits below the global ones.
   */
  setOverride(
    workspaceId: string,
    patch: WorkspaceOverride,
    by?: JobOrigin,
  ): Promise<StoredOverride>;
}

export interface SubmitPolicyOptions {
  config: PolicyConfig;
  store: JobStore;
  clock: Clock;
  /** Access rules per platform (`origin.platform`); a platform without one has none. */
  platforms?: Readonly<Record<string, PlatformAccess>>;
}

const overrideKey = (workspaceId: string) => `policy:override:${workspaceId}`;
const teamOf = (o: JobOrigin) => `${o.platform}:${o.workspaceId ?? 'direct'}`;

export function createSubmitPolicy({
  config,
  store,
  clock,
  platforms = {},
}: SubmitPolicyOptions): SubmitPolicy {
  // Serialises counter updates inside this process so concurrent accepts do not lose counts.
  let counterChain: Promise<unknown> = Promise.resolve();

  const isOwner = (o: JobOrigin) => o.platform === 'cli' || config.ADMIN_USERS.includes(o.userId);
  const isAdmin = (o: JobOrigin) => isOwner(o) || o.isAdmin === true;

  const getOverride = async (workspaceId: string | undefined): Promise<StoredOverride> =>
    workspaceId ? ((await store.getValue<StoredOverride>(overrideKey(workspaceId))) ?? {}) : {};

  const counterKeys = (o: JobOrigin, now: number) => {
    const day = utcDay(now);
    return {
      user: `quota:${day}:user:${o.platform}:${o.userId}`,
      team: `quota:${day}:team:${teamOf(o)}`,
    };
  };
  const read = async (key: string) => (await store.getValue<number>(key)) ?? 0;

  async function limits(workspaceId?: string): Promise<EffectiveLimits> {
    const override = await getOverride(workspaceId);
    return {
      userDaily: override.userDailyLimit ?? config.USER_DAILY_LIMIT,
      teamDaily: override.teamDailyLimit ?? config.TEAM_DAILY_LIMIT,
      userMaxActive: config.USER_MAX_ACTIVE,
      channels: override.allowedChannels ?? config.ALLOWED_CHANNELS,
    };
  }
  const limitsFor = (o: JobOrigin) => limits(o.workspaceId);

  function checkAccess(o: JobOrigin, channels: string[]): void {
    if (config.ALLOWED_GUILDS.length > 0 && !config.ALLOWED_GUILDS.includes(o.workspaceId ?? '')) {
      const name = platforms[o.platform]?.workspaceName ?? { en: 'server', zh: '服务器' };
      const [where, whereZh] = [name.en, name.zh];
      throw new PolicyError(
        'workspace_not_allowed',
        `This bot is not enabled for this ${where}; ask the bot's owner to allow it.`,
        undefined,
        `此${whereZh}未启用本机器人，请联系机器人所有者开通。`,
      );
    }
    if (channels.length > 0 && !channels.includes(o.channelId)) {
      const list = channels.slice(0, 3).map((id) => `<#${id}>`);
      const more = channels.length > 3 ? ' or another allowed channel' : '';
      const moreZh = channels.length > 3 ? '或其他允许的频道' : '';
      throw new PolicyError(
        'channel_not_allowed',
        `Videos can't be made in this channel; use ${list.join(', ')}${more}.`,
        undefined,
        `不能在此频道生成视频，请使用 ${list.join('、')}${moreZh}。`,
      );
    }
    if (o.isAdmin) return;
    platforms[o.platform]?.checkUser?.(o);
  }

  async function check(o: JobOrigin, ctx: { activeJobsOfUser: number }): Promise<void> {
    if (isOwner(o)) return;
    const limits = await limitsFor(o);
    checkAccess(o, limits.channels);
    // Workspace admins skip the per-user limits but not the team's, which guards the owner's budget.
    const userLimited = !o.isAdmin;
    const maxActive = config.USER_MAX_ACTIVE;
    if (userLimited && maxActive > 0 && ctx.activeJobsOfUser >= maxActive) {
      const videos = maxActive === 1 ? 'a video' : `${ctx.activeJobsOfUser} videos`;
      const videosZh = maxActive === 1 ? '一个视频' : `${ctx.activeJobsOfUser} 个视频`;
      throw new PolicyError(
        'user_max_active',
        `You already have ${videos} in progress; wait for one to finish or cancel it, then try again.`,
        undefined,
        `你已有${videosZh}正在生成，请等待其中一个完成或取消后再试。`,
      );
    }
    const now = clock.now();
    const resetAt = nextUtcMidnight(now);
    const wait = `in ${formatWait(resetAt - now)} (00:00 UTC)`;
    const waitZh = `${formatWaitZh(resetAt - now)}后（UTC 00:00）`;
    const keys = counterKeys(o, now);
    if (userLimited && limits.userDaily > 0 && (await read(keys.user)) >= limits.userDaily) {
      const n = limits.userDaily;
      throw new PolicyError(
        'user_daily_limit',
        `You have made your ${n === 1 ? 'one video' : `${n} videos`} for today; you can make more ${wait}.`,
        resetAt,
        `你今天已生成 ${n} 个视频，达到上限，${waitZh}可以继续生成。`,
      );
    }
    if (limits.teamDaily > 0 && (await read(keys.team)) >= limits.teamDaily) {
      throw new PolicyError(
        'team_daily_limit',
        `This team has used all ${limits.teamDaily} videos for today; more can be made ${wait}.`,
        resetAt,
        `本团队今天的 ${limits.teamDaily} 个视频额度已用完，${waitZh}可以继续生成。`,
      );
    }
  }

  async function recordAccepted(o: JobOrigin): Promise<void> {
    if (o.platform === 'cli') return;
    const keys = counterKeys(o, clock.now());
    const next = counterChain.then(async () => {
      for (const key of [keys.user, keys.team]) {
        await store.setValue(key, (await read(key)) + 1, COUNTER_TTL_MS);
      }
    });
    counterChain = next.catch(() => {});
    await next;
  }

  async function withWorkspace(subject: QuotaSubject): Promise<JobOrigin> {
    if (subject.workspaceId !== undefined) return { channelId: '', ref: {}, ...subject };
    const [latest] = await store.listByUser(subject.platform, subject.userId, 1);
    return { channelId: '', ref: {}, ...subject, workspaceId: latest?.origin.workspaceId };
  }

  async function quotaStatus(subject: QuotaSubject): Promise<QuotaStatus> {
    const o = await withWorkspace(subject);
    const now = clock.now();
    const resetsAt = nextUtcMidnight(now);
    if (isOwner(o)) return { resetsAt };
    const limits = await limitsFor(o);
    if (o.isAdmin) limits.userDaily = 0;
    const keys = counterKeys(o, now);
    const left = async (limit: number, key: string) =>
      limit > 0 ? Math.max(0, limit - (await read(key))) : undefined;
    const userRemaining = await left(limits.userDaily, keys.user);
    const teamRemaining = await left(limits.teamDaily, keys.team);
    const defined = [userRemaining, teamRemaining].filter((n): n is number => n !== undefined);
    const status: QuotaStatus = { resetsAt };
    if (userRemaining !== undefined) status.userRemaining = userRemaining;
    if (teamRemaining !== undefined) status.teamRemaining = teamRemaining;
    if (defined.length > 0) status.remainingToday = Math.min(...defined);
    return status;
  }

  function assertMayChange(workspaceId: string, patch: WorkspaceOverride, by: JobOrigin): void {
    if (isOwner(by)) return;
    if (!by.isAdmin || by.workspaceId !== workspaceId) {
      throw new PolicyError(
        'not_admin',
        'Only an admin of this server or workspace can change its video limits.',
        undefined,
        '只有此服务器或工作区的管理员才能修改视频限额。',
      );
    }
    const raises = (value: number | null | undefined, global: number) =>
      typeof value === 'number' && global > 0 && (value === 0 || value > global);
    if (
      raises(patch.userDailyLimit, config.USER_DAILY_LIMIT) ||
      raises(patch.teamDailyLimit, config.TEAM_DAILY_LIMIT)
    ) {
      throw new PolicyError(
        'override_above_global',
        "Limits can only be lowered below the bot's global limits here; ask the bot's owner to raise them.",
        undefined,
        '这里只能把限额调低到机器人的全局限额以下，如需提高请联系机器人所有者。',
      );
    }
  }

  async function setOverride(
    workspaceId: string,
    patch: WorkspaceOverride,
    by?: JobOrigin,
  ): Promise<StoredOverride> {
    if (by) assertMayChange(workspaceId, patch, by);
    for (const value of [patch.userDailyLimit, patch.teamDailyLimit]) {
      if (typeof value === 'number' && !(Number.isInteger(value) && value >= 0)) {
        throw new PolicyError(
          'bad_override',
          'Limits must be whole numbers, 0 or more (0 means unlimited).',
          undefined,
          '限额必须是 0 或更大的整数（0 表示不限）。',
        );
      }
    }
    const merged: Record<string, unknown> = { ...(await getOverride(workspaceId)) };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    await store.setValue(overrideKey(workspaceId), merged);
    return merged as StoredOverride;
  }

  const remaining = async (subject: QuotaSubject) => (await quotaStatus(subject)).remainingToday;

  return {
    check,
    recordAccepted,
    remaining,
    quotaStatus,
    isAdmin,
    getOverride,
    limits,
    setOverride,
  };
}
