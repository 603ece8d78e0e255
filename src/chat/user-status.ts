import type { Clock } from '../core/clock.js';
import type { Platform } from '../core/jobs/job.js';
import type { QueuePositions } from '../core/policy/queue-positions.js';
import type { SubmitPolicy } from '../core/policy/submit-policy.js';
import type { VideoService } from '../core/video-service.js';
import { statusReport } from './status-report.js';

/** What `/video status` needs, on either platform. */
export interface UserStatusDeps {
  service: Pick<VideoService, 'status'>;
  /** Gives user and team quotas for the workspace asked from; without it, service.status's. */
  policy?: Pick<SubmitPolicy, 'quotaStatus'>;
  positions?: Pick<QueuePositions, 'of'>;
  clock: Clock;
  adminUsers: readonly string[];
}

export interface StatusAsker {
  platform: Platform;
  userId: string;
  /** Discord guild or Slack team the command came from. */
  workspaceId?: string;
  /** Platform admin (Discord Manage Server); ADMIN_USERS count too. */
  isAdmin?: boolean;
  /** Language of the answer (the user's locale, from the adapter). Default 'en'. */
  lang?: 'en' | 'zh';
}

/** The answer to `/video status`: active jobs, queue positions and today's quota. */
export async function userStatusText(
  deps: UserStatusDeps,
  who: StatusAsker,
  escapeText?: (text: string) => string,
): Promise<string> {
  const status = await deps.service.status(who.platform, who.userId);
  const admin = who.isAdmin === true || deps.adminUsers.includes(who.userId);
  const quota = deps.policy
    ? await deps.policy.quotaStatus({
        platform: who.platform,
        userId: who.userId,
        ...(who.workspaceId ? { workspaceId: who.workspaceId } : {}),
        ...(admin ? { isAdmin: true } : {}),
      })
    : undefined;
  const positions = deps.positions;
  return statusReport({
    status,
    ...(quota ? { quota } : {}),
    ...(positions ? { positionOf: (id: string) => positions.of(id) } : {}),
    now: deps.clock.now(),
    ...(escapeText ? { escape: escapeText } : {}),
    ...(who.lang ? { lang: who.lang } : {}),
  });
}
