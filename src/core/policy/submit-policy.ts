import type { Config } from '../../config.js';
import type { Clock } from '../clock.js';
import { PolicyError } from '../errors.js';
import type { JobOrigin } from '../jobs/job.js';
import type { JobStore } from '../jobs/job-store.js';
import { UNITS_PER_CURRENCY } from '../pricing/price-table.js';
import { spendCounters } from './budget-lines.js';
import { nextUtcMidnight } from './quota-day.js';
import type { QuotaLedger } from './quota-ledger.js';
import { dayCounters, quotaRefusal, videoLines } from './quota-lines.js';
import { createSpendPolicy, spendHoldId } from './spend-policy.js';

type PolicyConfig = Pick<
  Config,
  | 'ALLOWED_CHANNELS'
  | 'ALLOWED_GUILDS'
  | 'ADMIN_USERS'
  | 'USER_DAILY_LIMIT'
  | 'USER_MAX_ACTIVE'
  | 'TEAM_DAILY_LIMIT'
  | 'DAILY_LIMIT'
  | 'USER_DAILY_BUDGET'
  | 'TEAM_DAILY_BUDGET'
  | 'TEAM_MONTHLY_BUDGET'
  | 'DAILY_BUDGET'
>;

/**
 * One platform's own access rules, handed in by the composition root (src/platform-access.ts)
 * so the core names no platform: role lists, allow-lists and what a workspace is called there.
 */
export interface PlatformAccess {
  /** What users call a workspace on this platform, in both languages (the catalog's default: server). */
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
  /** Money budgets of this team, in the price table's currency (issue #14). */
  teamDailyBudget?: number | null;
  teamMonthlyBudget?: number | null;
}
export type StoredOverride = { [K in keyof WorkspaceOverride]?: NonNullable<WorkspaceOverride[K]> };

export interface QuotaStatus {
  /** Videos the user may still start today; undefined when unlimited. */
  userRemaining?: number;
  /** Videos the whole workspace may still start today; undefined when unlimited. */
  teamRemaining?: number;
  /** Videos the bot may still start today for everyone (DAILY_LIMIT); undefined when unlimited. */
  allRemaining?: number;
  /** The smallest of these; undefined when all are unlimited (or the user is an admin). */
  remainingToday?: number;
  /** When the daily counters reset: next 00:00 UTC (epoch ms). */
  resetsAt: number;
  /** What the user's videos cost today so far (held or billed), in `currency`. */
  spentToday?: number;
  /** USER_DAILY_BUDGET when one applies to this user. */
  dailyBudget?: number;
  currency?: string;
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
  /** Money per day and per month for the team (0 = none). */
  teamDailyBudget: number;
  teamMonthlyBudget: number;
  /** Currency of the budgets (the price table's). */
  currency: string;
}

export interface SubmitPolicy {
  /**
   * Decides every allowlist and holds one video of every quota that applies (videos in
   * progress, the user's, the team's and the bot's count for today) in one atomic step, under
   * `holdId` (the job id). Throws PolicyError (one sentence, with when to try again) instead.
   * Needs no images, so adapters call it before fetching any or posting anything.
   */
  reserve(origin: JobOrigin, holdId: string): Promise<void>;
  /**
   * The hold's job ended or its request went no further. `spent`: a create may have reached
   * MiniMax, so the daily counts stay used; otherwise everything is given back. The videos-in-
   * progress hold is given back either way. Safe to call more than once.
   */
  settle(holdId: string, spent: boolean): Promise<void>;
  /**
   * Holds the job's estimated price against every money budget (USER_DAILY_BUDGET,
   * TEAM_DAILY_BUDGET, TEAM_MONTHLY_BUDGET, DAILY_BUDGET) in one atomic step, under `holdId`.
   * Throws PolicyError saying what is left and when it resets. `settle(holdId, false)` gives it
   * back too.
   */
  reserveSpend(
    origin: JobOrigin,
    holdId: string,
    costUnits: number,
    currency: string,
  ): Promise<void>;
  /**
   * The job ended: its price stays spent when MiniMax bills it (as `billedUnits` when known, else
   * the estimate held), else it is given back.
   */
  settleSpend(holdId: string, charged: boolean, billedUnits?: number): Promise<void>;
  /** Refuses a request the price table cannot price while a money budget applies to its sender. */
  refuseUnpriced(origin: JobOrigin, model: string): Promise<void>;
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
   * What the money budgets' counters hold now (held or billed, in the price table's currency):
   * the user's today, the team's today and this UTC month.
   */
  spentSoFar(
    subject: Pick<JobOrigin, 'platform' | 'userId' | 'workspaceId'>,
  ): Promise<{ userToday: number; teamToday: number; teamMonth: number }>;
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
  /** Workspace overrides and the users' latest jobs. */
  store: JobStore;
  /** Where quota holds live; shared by every instance that shares the store. */
  ledger: QuotaLedger;
  clock: Clock;
  /** Currency of the price table the budgets are in. Default USD. */
  currency?: string;
  /** Access rules per platform (`origin.platform`); a platform without one has none. */
  platforms?: Readonly<Record<string, PlatformAccess>>;
}

const overrideKey = (workspaceId: string) => `policy:override:${workspaceId}`;

export function createSubmitPolicy({
  config,
  store,
  ledger,
  clock,
  platforms = {},
  currency = 'USD',
}: SubmitPolicyOptions): SubmitPolicy {
  const isOwner = (o: JobOrigin) => o.platform === 'cli' || config.ADMIN_USERS.includes(o.userId);
  const isAdmin = (o: JobOrigin) => isOwner(o) || o.isAdmin === true;

  const getOverride = async (workspaceId: string | undefined): Promise<StoredOverride> =>
    workspaceId ? ((await store.getValue<StoredOverride>(overrideKey(workspaceId))) ?? {}) : {};

  async function limits(workspaceId?: string): Promise<EffectiveLimits> {
    const override = await getOverride(workspaceId);
    return {
      userDaily: override.userDailyLimit ?? config.USER_DAILY_LIMIT,
      teamDaily: override.teamDailyLimit ?? config.TEAM_DAILY_LIMIT,
      userMaxActive: config.USER_MAX_ACTIVE,
      channels: override.allowedChannels ?? config.ALLOWED_CHANNELS,
      teamDailyBudget: override.teamDailyBudget ?? config.TEAM_DAILY_BUDGET,
      teamMonthlyBudget: override.teamMonthlyBudget ?? config.TEAM_MONTHLY_BUDGET,
      currency,
    };
  }
  const limitsFor = (o: JobOrigin) => limits(o.workspaceId);

  function checkAccess(o: JobOrigin, channels: string[]): void {
    if (config.ALLOWED_GUILDS.length > 0 && !config.ALLOWED_GUILDS.includes(o.workspaceId ?? '')) {
      // What a workspace is called comes from the platform (server, workspace).
      const name = platforms[o.platform]?.workspaceName;
      throw new PolicyError({
        code: 'workspace_not_allowed',
        params: name ? { where: name.en, whereZh: name.zh } : {},
      });
    }
    // ALLOWED_CHANNELS is the operator's ceiling: a workspace's own list can only narrow it.
    refuseChannel(o, config.ALLOWED_CHANNELS);
    refuseChannel(o, channels);
    if (o.isAdmin) return;
    platforms[o.platform]?.checkUser?.(o);
  }

  function refuseChannel(o: JobOrigin, channels: string[]): void {
    if (channels.length === 0 || channels.includes(o.channelId)) return;
    throw new PolicyError({
      code: 'channel_not_allowed',
      params: { channels: channels.slice(0, 3).join('|'), more: channels.length > 3 ? 1 : 0 },
    });
  }

  async function reserve(o: JobOrigin, holdId: string): Promise<void> {
    // The terminal is the operator's own: neither checked nor counted.
    if (o.platform === 'cli') return;
    const owner = isOwner(o);
    const limits = await limitsFor(o);
    if (!owner) checkAccess(o, limits.channels);
    const now = clock.now();
    const plan = videoLines(
      o,
      {
        userDaily: limits.userDaily,
        teamDaily: limits.teamDaily,
        userMaxActive: limits.userMaxActive,
        allDaily: config.DAILY_LIMIT,
        userLimited: o.isAdmin !== true,
        enforced: !owner,
      },
      now,
    );
    const outcome = await ledger.reserve(holdId, plan.lines, now);
    if (!outcome.ok) {
      const { line, used } = outcome;
      throw quotaRefusal(plan.names[line]!, plan.limits[line]!, used, now);
    }
  }

  const spend = createSpendPolicy({ config, ledger, clock, isOwner, limitsOf: limitsFor });

  async function settle(holdId: string, spent: boolean): Promise<void> {
    if (spent) return ledger.commit(holdId);
    await ledger.release(holdId);
    await ledger.release(spendHoldId(holdId));
  }

  async function withWorkspace(subject: QuotaSubject): Promise<JobOrigin> {
    if (subject.workspaceId !== undefined) return { channelId: '', ref: {}, ...subject };
    const [latest] = await store.listByUser(subject.platform, subject.userId, 1);
    return { channelId: '', ref: {}, ...subject, workspaceId: latest?.origin.workspaceId };
  }

  async function spentSoFar(subject: Pick<JobOrigin, 'platform' | 'userId' | 'workspaceId'>) {
    const now = clock.now();
    const c = spendCounters(subject, now);
    const [user = 0, team = 0, month = 0] = await ledger.used([c.user, c.team, c.teamMonth], now);
    return {
      userToday: user / UNITS_PER_CURRENCY,
      teamToday: team / UNITS_PER_CURRENCY,
      teamMonth: month / UNITS_PER_CURRENCY,
    };
  }

  async function quotaStatus(subject: QuotaSubject): Promise<QuotaStatus> {
    const o = await withWorkspace(subject);
    const now = clock.now();
    const resetsAt = nextUtcMidnight(now);
    const [spentUnits = 0] = await ledger.used([spendCounters(o, now).user], now);
    const spend = {
      spentToday: spentUnits / UNITS_PER_CURRENCY,
      currency,
      ...(config.USER_DAILY_BUDGET > 0 && !o.isAdmin && !isOwner(o)
        ? { dailyBudget: config.USER_DAILY_BUDGET }
        : {}),
    };
    if (isOwner(o)) return { resetsAt, ...spend };
    const limits = await limitsFor(o);
    if (o.isAdmin) limits.userDaily = 0;
    const counters = dayCounters(o, now);
    const [user, team, all] = await ledger.used([counters.user, counters.team, counters.all], now);
    const left = (limit: number, used = 0) => (limit > 0 ? Math.max(0, limit - used) : undefined);
    const userRemaining = left(limits.userDaily, user);
    const teamRemaining = left(limits.teamDaily, team);
    const allRemaining = left(config.DAILY_LIMIT, all);
    const defined = [userRemaining, teamRemaining, allRemaining].filter(
      (n): n is number => n !== undefined,
    );
    const status: QuotaStatus = { resetsAt, ...spend };
    if (userRemaining !== undefined) status.userRemaining = userRemaining;
    if (teamRemaining !== undefined) status.teamRemaining = teamRemaining;
    if (allRemaining !== undefined) status.allRemaining = allRemaining;
    if (defined.length > 0) status.remainingToday = Math.min(...defined);
    return status;
  }

  function assertMayChange(workspaceId: string, patch: WorkspaceOverride, by: JobOrigin): void {
    // Owners included: check() enforces ALLOWED_CHANNELS anyway, so a wider list would only lie.
    const allowed = config.ALLOWED_CHANNELS;
    const channels = patch.allowedChannels;
    const widens =
      channels !== null &&
      channels !== undefined &&
      (channels.length === 0 || !channels.every((id) => allowed.includes(id)));
    if (allowed.length > 0 && widens) {
      throw new PolicyError({
        code: 'override_above_global',
        textKey: channels.length === 0 ? 'override_channels_any' : 'override_channels_outside',
      });
    }
    if (isOwner(by)) return;
    if (!by.isAdmin || by.workspaceId !== workspaceId) {
      throw new PolicyError({ code: 'not_admin' });
    }
    const raises = (value: number | null | undefined, global: number) =>
      typeof value === 'number' && global > 0 && (value === 0 || value > global);
    if (
      raises(patch.userDailyLimit, config.USER_DAILY_LIMIT) ||
      raises(patch.teamDailyLimit, config.TEAM_DAILY_LIMIT) ||
      raises(patch.teamDailyBudget, config.TEAM_DAILY_BUDGET) ||
      raises(patch.teamMonthlyBudget, config.TEAM_MONTHLY_BUDGET)
    ) {
      throw new PolicyError({ code: 'override_above_global' });
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
        throw new PolicyError({ code: 'bad_override' });
      }
    }
    for (const value of [patch.teamDailyBudget, patch.teamMonthlyBudget]) {
      if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) {
        throw new PolicyError({ code: 'bad_override', textKey: 'bad_budget_override' });
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
    reserve,
    reserveSpend: spend.reserveSpend,
    settleSpend: spend.settleSpend,
    refuseUnpriced: spend.refuseUnpriced,
    settle,
    remaining,
    quotaStatus,
    isAdmin,
    getOverride,
    limits,
    spentSoFar,
    setOverride,
  };
}
