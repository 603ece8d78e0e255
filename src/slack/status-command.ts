import type { Clock } from '../core/clock.js';
import type { QueuePositions } from '../core/policy/queue-positions.js';
import { statusReport } from '../core/policy/status-report.js';
import type { SubmitPolicy } from '../core/policy/submit-policy.js';
import type { VideoService } from '../core/video-service.js';

export interface SlackStatusDeps {
  service: Pick<VideoService, 'status'>;
  /** Gives user and team quotas for the workspace asked from; without it, service.status's. */
  policy?: Pick<SubmitPolicy, 'quotaStatus'>;
  positions?: Pick<QueuePositions, 'of'>;
  clock: Clock;
  adminUsers: readonly string[];
}

/** `/video status` asks for this text; anything else is a prompt. */
export function isStatusRequest(text: string): boolean {
  return /^\s*(status|quota|状态)\s*$/i.test(text);
}

/** Slack mrkdwn treats these three as markup, so user text is escaped before it is echoed. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The ephemeral answer to `/video status`: active jobs, queue positions, today's quota. */
export async function slackStatusText(
  deps: SlackStatusDeps,
  who: { userId: string; teamId?: string },
): Promise<string> {
  const status = await deps.service.status('slack', who.userId);
  const quota = deps.policy
    ? await deps.policy.quotaStatus({
        platform: 'slack',
        userId: who.userId,
        ...(who.teamId ? { workspaceId: who.teamId } : {}),
        ...(deps.adminUsers.includes(who.userId) ? { isAdmin: true } : {}),
      })
    : undefined;
  const positions = deps.positions;
  return statusReport({
    status,
    ...(quota ? { quota } : {}),
    ...(positions ? { positionOf: (id: string) => positions.of(id) } : {}),
    now: deps.clock.now(),
    escape: escapeSlack,
  });
}
