import type { Job } from '../jobs/job.js';
import type { UserStatus } from '../video-service.js';
import { formatWait } from './quota-day.js';
import type { QuotaStatus } from './submit-policy.js';

export interface StatusReportInput {
  status: UserStatus;
  /** The detailed quota (user and team), when the adapter has the policy at hand. */
  quota?: QuotaStatus;
  /** Latest queue position of a waiting job (see QueuePositions). */
  positionOf?: (jobId: string) => number | undefined;
  now: number;
  /** Makes user text (prompts) safe for the platform's markup. Default: unchanged. */
  escape?: (text: string) => string;
}

const PROMPT_PREVIEW_CHARS = 60;
const SHOWN_JOBS = 10;

function stateLabel(job: Job, position: number | undefined): string {
  switch (job.state) {
    case 'queued':
      return position === undefined ? 'waiting in line' : `waiting in line, position ${position}`;
    case 'submitting':
      return 'starting';
    case 'generating':
      if (job.minimaxStatus === 'Preparing') return 'preparing at MiniMax';
      if (job.minimaxStatus === 'Queueing') return 'waiting at MiniMax';
      return 'rendering';
    default:
      return job.state;
  }
}

function preview(job: Job, escapeText: (text: string) => string): string {
  const prompt = job.request.prompt.replace(/\s+/g, ' ').trim();
  if (!prompt) return `a ${job.request.mode.toUpperCase()} video`;
  const chars = [...prompt];
  const short =
    chars.length > PROMPT_PREVIEW_CHARS
      ? `${chars.slice(0, PROMPT_PREVIEW_CHARS).join('')}…`
      : prompt;
  return `“${escapeText(short)}”`;
}

function ago(ms: number): string {
  const wholeMinutesMs = Math.floor(ms / 60_000) * 60_000;
  return wholeMinutesMs === 0 ? 'just now' : `${formatWait(wholeMinutesMs)} ago`;
}

function quotaLine(input: StatusReportInput): string {
  const { status, quota, now } = input;
  const remaining = quota ? quota.remainingToday : status.remainingToday;
  const resetsAt = quota?.resetsAt ?? status.resetsAt;
  const when = `in ${formatWait(resetsAt - now)} (00:00 UTC)`;
  if (remaining === undefined) return 'You have no daily video limit.';
  const teamIsShort =
    quota?.teamRemaining !== undefined &&
    (quota.userRemaining === undefined || quota.teamRemaining < quota.userRemaining);
  if (remaining === 0) {
    return teamIsShort
      ? `The team has used all of today's videos; more can be made ${when}.`
      : `You have used all your videos for today; you can make more ${when}.`;
  }
  const videos = remaining === 1 ? 'one more video' : `${remaining} more videos`;
  const team = teamIsShort ? " (that is what is left of the team's daily budget)" : '';
  return `You can make ${videos} today${team}; the count resets ${when}.`;
}

/**
 * The answer to `/video status`: the user's unfinished jobs with their state and queue position,
 * then what is left of today's quota and when it resets. Plain lines, both platforms.
 */
export function statusReport(input: StatusReportInput): string {
  const escapeText = input.escape ?? ((text: string) => text);
  const active = [...input.status.active].sort((a, b) => a.createdAt - b.createdAt);
  const lines: string[] = [];
  if (active.length === 0) lines.push('You have no videos in progress.');
  else {
    lines.push(
      active.length === 1
        ? 'You have one video in progress:'
        : `You have ${active.length} videos in progress:`,
    );
    for (const job of active.slice(0, SHOWN_JOBS)) {
      const label = stateLabel(job, input.positionOf?.(job.id));
      lines.push(
        `• ${preview(job, escapeText)}: ${label}, started ${ago(input.now - job.createdAt)}`,
      );
    }
    if (active.length > SHOWN_JOBS) lines.push(`• and ${active.length - SHOWN_JOBS} more`);
  }
  lines.push(quotaLine(input));
  return lines.join('\n');
}
