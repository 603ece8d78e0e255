import type { Job } from '../core/jobs/job.js';
import { formatWait, formatWaitZh } from '../core/policy/quota-day.js';
import type { QuotaStatus } from '../core/policy/submit-policy.js';
import { formatMoney } from '../core/pricing/price-table.js';
import type { UserStatus } from '../core/video-service.js';

export interface StatusReportInput {
  status: UserStatus;
  /** The detailed quota (user and team), when the adapter has the policy at hand. */
  quota?: QuotaStatus;
  /** Latest queue position of a waiting job (see QueuePositions). */
  positionOf?: (jobId: string) => number | undefined;
  now: number;
  /** Makes user text (prompts) safe for the platform's markup. Default: unchanged. */
  escape?: (text: string) => string;
  /** Language of the answer (the adapter passes the user's). Default 'en'. */
  lang?: 'en' | 'zh';
}

const PROMPT_PREVIEW_CHARS = 60;
const SHOWN_JOBS = 10;

/** Every sentence of the report in one language; the quota facts are worked out once. */
interface Words {
  queued(position: number | undefined): string;
  submitting: string;
  preparing: string;
  waitingAtMinimax: string;
  rendering: string;
  otherState(state: Job['state']): string;
  noPrompt(mode: string): string;
  /** One job: its prompt preview, state label and whole minutes since it started. */
  jobLine(preview: string, label: string, agoMs: number): string;
  none: string;
  inProgress(count: number): string;
  recent: string;
  recentLine(preview: string, url: string): string;
  more(count: number): string;
  noLimit: string;
  teamUsedUp(when: string): string;
  userUsedUp(when: string): string;
  left(remaining: number, teamIsShort: boolean, when: string): string;
  resetsIn(ms: number): string;
}

const EN: Words = {
  queued: (p) => (p === undefined ? 'waiting in line' : `waiting in line, position ${p}`),
  submitting: 'starting',
  preparing: 'preparing at MiniMax',
  waitingAtMinimax: 'waiting at MiniMax',
  rendering: 'rendering',
  otherState: (state) => state,
  noPrompt: (mode) => `a ${mode} video`,
  jobLine: (preview, label, ms) =>
    `• ${preview}: ${label}, started ${ms === 0 ? 'just now' : `${formatWait(ms)} ago`}`,
  none: 'You have no videos in progress.',
  recent: 'Your latest videos:',
  recentLine: (preview, url) => `• ${preview}: ${url}`,
  inProgress: (n) =>
    n === 1 ? 'You have one video in progress:' : `You have ${n} videos in progress:`,
  more: (n) => `• and ${n} more`,
  noLimit: 'You have no daily video limit.',
  teamUsedUp: (when) => `The team has used all of today's videos; more can be made ${when}.`,
  userUsedUp: (when) => `You have used all your videos for today; you can make more ${when}.`,
  left: (n, teamIsShort, when) => {
    const videos = n === 1 ? 'one more video' : `${n} more videos`;
    const team = teamIsShort ? " (that is what is left of the team's daily budget)" : '';
    return `You can make ${videos} today${team}; the count resets ${when}.`;
  },
  resetsIn: (ms) => `in ${formatWait(ms)} (00:00 UTC)`,
};

const ZH_STATES: Partial<Record<Job['state'], string>> = {
  downloading: '正在下载',
  uploading: '正在上传',
};

const ZH: Words = {
  queued: (p) => (p === undefined ? '排队中' : `排队中，第 ${p} 位`),
  submitting: '正在提交',
  preparing: 'MiniMax 准备中',
  waitingAtMinimax: 'MiniMax 排队中',
  rendering: '生成中',
  otherState: (state) => ZH_STATES[state] ?? state,
  noPrompt: (mode) => `一个 ${mode} 视频`,
  jobLine: (preview, label, ms) =>
    `• ${preview}：${label}，${ms === 0 ? '刚刚开始' : `${formatWaitZh(ms)}前开始`}`,
  none: '你没有进行中的视频。',
  recent: '你最近的视频：',
  recentLine: (preview, url) => `• ${preview}：${url}`,
  inProgress: (n) => `你有 ${n} 个视频正在进行：`,
  more: (n) => `• 还有 ${n} 个`,
  noLimit: '你没有每日视频限额。',
  teamUsedUp: (when) => `团队今天的视频额度已用完；${when}可以继续生成。`,
  userUsedUp: (when) => `你今天的视频额度已用完；${when}可以继续生成。`,
  left: (n, teamIsShort, when) => {
    const team = teamIsShort ? '（这是团队每日额度的剩余量）' : '';
    return `你今天还可以生成 ${n} 个视频${team}；额度将于 ${when}重置。`;
  },
  resetsIn: (ms) => `${formatWaitZh(ms)}后（UTC 00:00）`,
};

function stateLabel(w: Words, job: Job, position: number | undefined): string {
  switch (job.state) {
    case 'queued':
      return w.queued(position);
    case 'submitting':
      return w.submitting;
    case 'generating':
      if (job.minimaxStatus === 'Preparing') return w.preparing;
      if (job.minimaxStatus === 'Queueing') return w.waitingAtMinimax;
      return w.rendering;
    default:
      return w.otherState(job.state);
  }
}

function preview(w: Words, job: Job, escapeText: (text: string) => string): string {
  const prompt = job.request.prompt.replace(/\s+/g, ' ').trim();
  if (!prompt) return w.noPrompt(job.request.mode.toUpperCase());
  const chars = [...prompt];
  const short =
    chars.length > PROMPT_PREVIEW_CHARS
      ? `${chars.slice(0, PROMPT_PREVIEW_CHARS).join('')}…`
      : prompt;
  return `“${escapeText(short)}”`;
}

function quotaLine(w: Words, input: StatusReportInput): string {
  const { status, quota, now } = input;
  const remaining = quota ? quota.remainingToday : status.remainingToday;
  const resetsAt = quota?.resetsAt ?? status.resetsAt;
  const when = w.resetsIn(resetsAt - now);
  if (remaining === undefined) return w.noLimit;
  // The bot-wide DAILY_LIMIT reads as the team's to the user: both are shared with others.
  const shared = [quota?.teamRemaining, quota?.allRemaining].filter((n) => n !== undefined);
  const sharedLeft = shared.length > 0 ? Math.min(...shared) : undefined;
  const teamIsShort =
    sharedLeft !== undefined &&
    (quota?.userRemaining === undefined || sharedLeft < quota.userRemaining);
  if (remaining === 0) return teamIsShort ? w.teamUsedUp(when) : w.userUsedUp(when);
  return w.left(remaining, teamIsShort, when);
}

/** "Spent today: US$ 0.84 of your US$ 2.00 daily budget." in the reader's language. */
function spendLine(input: StatusReportInput): string | undefined {
  const q = input.quota;
  if (q?.spentToday === undefined || !q.currency) return undefined;
  if (q.spentToday === 0 && q.dailyBudget === undefined) return undefined;
  const spent = formatMoney(q.spentToday, q.currency);
  const budget = q.dailyBudget === undefined ? undefined : formatMoney(q.dailyBudget, q.currency);
  if (input.lang === 'zh')
    return budget ? `今天已花费 ${spent}，每日预算 ${budget}。` : `今天已花费 ${spent}。`;
  return budget
    ? `Spent today: ${spent} of your ${budget} daily budget.`
    : `Spent today: ${spent}.`;
}

/**
 * The answer to `/video status`: the user's unfinished jobs with their state and queue position,
 * then what is left of today's quota and when it resets. Plain lines, both platforms.
 */
export function statusReport(input: StatusReportInput): string {
  const w = input.lang === 'zh' ? ZH : EN;
  const escapeText = input.escape ?? ((text: string) => text);
  const active = [...input.status.active].sort((a, b) => a.createdAt - b.createdAt);
  const lines: string[] = [];
  if (active.length === 0) lines.push(w.none);
  else {
    lines.push(w.inProgress(active.length));
    for (const job of active.slice(0, SHOWN_JOBS)) {
      const label = stateLabel(w, job, input.positionOf?.(job.id));
      // Whole minutes only: "started 0 min ago" reads worse than "just now".
      const ago = Math.floor((input.now - job.createdAt) / 60_000) * 60_000;
      lines.push(w.jobLine(preview(w, job, escapeText), label, ago));
    }
    if (active.length > SHOWN_JOBS) lines.push(w.more(active.length - SHOWN_JOBS));
  }
  const recent = input.status.recent ?? [];
  if (recent.length > 0) {
    lines.push(w.recent);
    for (const job of recent) lines.push(w.recentLine(preview(w, job, escapeText), job.resultUrl!));
  }
  lines.push(quotaLine(w, input));
  const spend = spendLine(input);
  if (spend) lines.push(spend);
  return lines.join('\n');
}
