import { PolicyError } from '../errors.js';
import type { JobOrigin } from '../jobs/job.js';
import { nextUtcMidnight, utcDay } from './quota-day.js';
import type { QuotaLine } from './quota-ledger.js';

/**
 * A job the bot lost track of (crash between its end and the release) stops counting against
 * its user's videos in progress after this long; a live job is far shorter (JOB_TIMEOUT_S).
 */
export const ACTIVE_HOLD_MS = 12 * 3_600_000;

/** The limits one request meets (0 = unlimited), and whether they apply to this requester. */
export interface RequestLimits {
  userDaily: number;
  teamDaily: number;
  userMaxActive: number;
  /** DAILY_LIMIT: every server and workspace together. */
  allDaily: number;
  /** False for workspace admins: they skip the per-user limits, not the team's or the bot's. */
  userLimited: boolean;
  /** False for ADMIN_USERS: their videos are counted but never refused. */
  enforced: boolean;
}

export type QuotaName = 'user_max_active' | 'user_daily_limit' | 'team_daily_limit' | 'daily_limit';

export const teamOf = (o: Pick<JobOrigin, 'platform' | 'workspaceId'>) =>
  `${o.platform}:${o.workspaceId ?? 'direct'}`;

/** The daily counters of a requester on the UTC day of `now`. */
export function dayCounters(
  o: Pick<JobOrigin, 'platform' | 'userId' | 'workspaceId'>,
  now: number,
) {
  const day = utcDay(now);
  return {
    user: `day:${day}:user:${o.platform}:${o.userId}`,
    team: `day:${day}:team:${teamOf(o)}`,
    all: `day:${day}:all`,
  };
}

/**
 * What one video holds, in the order refusals are reported: the user's videos in progress
 * (given back when the job ends), then the user's, the team's and the bot's count for today
 * (kept once the create may have reached MiniMax). Daily lines are counted even without a
 * limit, so a limit set during the day sees what was already made.
 */
export function videoLines(
  o: JobOrigin,
  limits: RequestLimits,
  now: number,
): { lines: QuotaLine[]; names: QuotaName[]; limits: number[] } {
  const dayEnd = nextUtcMidnight(now);
  const counters = dayCounters(o, now);
  const lines: QuotaLine[] = [];
  const names: QuotaName[] = [];
  const add = (name: QuotaName, counter: string, limit: number, running: boolean) => {
    const enforced = limits.enforced && limit > 0;
    lines.push({
      counter,
      amount: 1,
      kind: running ? 'running' : 'spend',
      expiresAt: running ? now + ACTIVE_HOLD_MS : dayEnd,
      ...(enforced ? { limit } : {}),
    });
    names.push(name);
  };
  if (limits.enforced && limits.userLimited && limits.userMaxActive > 0)
    add('user_max_active', `active:user:${o.platform}:${o.userId}`, limits.userMaxActive, true);
  add('user_daily_limit', counters.user, limits.userLimited ? limits.userDaily : 0, false);
  add('team_daily_limit', counters.team, limits.teamDaily, false);
  add('daily_limit', counters.all, limits.allDaily, false);
  return { lines, names, limits: lines.map((l) => l.limit ?? 0) };
}

/** The one-sentence refusal for a quota that is used up, with what is left and when it resets. */
export function quotaRefusal(
  name: QuotaName,
  limit: number,
  used: number,
  now: number,
): PolicyError {
  const resetAt = nextUtcMidnight(now);
  // Words in src/messages/catalog-policy.ts; the wait is counted to the next 00:00 UTC.
  return new PolicyError({
    code: name,
    params: { limit, used, waitMs: resetAt - now },
    ...(name === 'user_max_active' ? {} : { retryAt: resetAt }),
  });
}
