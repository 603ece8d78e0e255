import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { isTerminal, type Job } from '../core/jobs/job.js';
import type { ProgressEvent } from '../core/progress.js';
import type { VideoService } from '../core/video-service.js';
import { renderStatus, type StatusView } from './blocks.js';
import { type MessageRef, rateLimitOf, type SlackApi, slackErrorCode } from './slack-api.js';

/** How often a status message may be edited. */
export interface StatusPacing {
  /** Least gap between routine edits (poll, queue position) of one message. Default 4 s. */
  minEditIntervalMs: number;
  /** Routine gaps grow with the job's age (a twentieth of it) up to this. Default 30 s. */
  maxEditIntervalMs: number;
  /** Least gap before showing a state change. Default 1 s. */
  stateEditIntervalMs: number;
  /** chat.update calls per minute for the whole workspace (Tier 3 allows ~50). Default 45. */
  editsPerMinute: number;
}

export const DEFAULT_PACING: StatusPacing = {
  minEditIntervalMs: 4_000,
  maxEditIntervalMs: 30_000,
  stateEditIntervalMs: 1_000,
  editsPerMinute: 45,
};

/** The job's message, as stored in `origin.ref` (`channel`, `threadTs`, `statusTs`). */
export function messageRefOf(job: Job): MessageRef | undefined {
  const ref = job.origin.ref;
  return typeof ref.statusTs === 'string'
    ? { channel: String(ref.channel ?? job.origin.channelId), ts: ref.statusTs }
    : undefined;
}

interface Entry {
  ref?: MessageRef;
  posting?: Promise<MessageRef | undefined>;
  /** Posting failed for good (no access to the channel): never try again for this job. */
  noMessage?: boolean;
  lastKey?: string;
  lastEditAt: number;
  /** Set when the workspace edit budget is spent. */
  notBefore?: number;
  pending?: ProgressEvent;
  scheduled: boolean;
  inFlight: boolean;
}

export interface StatusMessagesOptions {
  api: SlackApi;
  service: Pick<VideoService, 'updateOriginRef'>;
  clock: Clock;
  logger: Logger;
  pacing: StatusPacing;
  signal: AbortSignal;
}

/**
 * One Block Kit status message per job: posted once, then edited only when the rendering
 * changes, no faster than the pacing allows and never during a rate-limit pause. Events are
 * coalesced, so a burst of polls becomes one edit showing the latest.
 */
export class StatusMessages {
  private readonly entries = new Map<string, Entry>();
  private tokens: number;
  private tokensAt: number;

  constructor(private readonly options: StatusMessagesOptions) {
    this.tokens = Math.max(1, options.pacing.editsPerMinute / 3);
    this.tokensAt = options.clock.now();
  }

  /** Posts a message for a job that has none (resumed from before one was posted). */
  private post(job: Job, threadTs?: string): Promise<MessageRef | undefined> {
    const entry = this.entry(job.id);
    if (entry.ref) return Promise.resolve(entry.ref);
    entry.posting ??= this.doPost(job, entry, threadTs);
    return entry.posting;
  }

  /** Posts the first rendering of a request about to be submitted (its ts goes into the origin). */
  async postDraft(draft: Job, threadTs?: string): Promise<MessageRef> {
    const channel = String(draft.origin.ref.channel ?? draft.origin.channelId);
    return this.options.api.postMessage(channel, renderStatus(draft, { elapsedMs: 0 }), threadTs);
  }

  /** The job's message: known, being posted, or (after a restart without one) posted now. */
  async ensure(job: Job): Promise<MessageRef | undefined> {
    const entry = this.entry(job.id);
    entry.ref ??= messageRefOf(job);
    if (entry.ref) return entry.ref;
    if (entry.noMessage) return undefined;
    const threadTs =
      typeof job.origin.ref.threadTs === 'string' ? job.origin.ref.threadTs : undefined;
    return this.post(job, threadTs);
  }

  onProgress(event: ProgressEvent): void {
    if (event.job.origin.platform !== 'slack' || this.options.signal.aborted) return;
    const entry = this.entry(event.jobId);
    if (entry.noMessage) {
      if (isTerminal(event.state)) this.entries.delete(event.jobId);
      return;
    }
    entry.pending = event;
    this.schedule(event.jobId, entry);
  }

  private entry(jobId: string): Entry {
    let entry = this.entries.get(jobId);
    if (!entry) {
      entry = { lastEditAt: 0, scheduled: false, inFlight: false };
      this.entries.set(jobId, entry);
    }
    return entry;
  }

  private async doPost(job: Job, entry: Entry, threadTs?: string): Promise<MessageRef | undefined> {
    // An event that arrived before the post (the queue position) is shown in the first version.
    const early = entry.pending?.jobId === job.id ? entry.pending : undefined;
    const rendered = early
      ? renderStatus(early.job, viewOf(early))
      : renderStatus(job, { elapsedMs: 0 });
    const channel = String(job.origin.ref.channel ?? job.origin.channelId);
    const ref = await this.options.api.postMessage(channel, rendered, threadTs);
    entry.ref = ref;
    entry.lastKey = JSON.stringify(rendered.blocks);
    entry.lastEditAt = this.options.clock.now();
    await this.options.service.updateOriginRef(job.id, { statusTs: ref.ts, channel: ref.channel });
    return ref;
  }

  private gapFor(event: ProgressEvent): number {
    const p = this.options.pacing;
    if (event.kind === 'state') return p.stateEditIntervalMs;
    return Math.min(p.maxEditIntervalMs, Math.max(p.minEditIntervalMs, event.elapsedMs / 20));
  }

  /** Workspace-wide token bucket; returns how long to wait for the next edit slot. */
  private takeSlot(now: number): number {
    const perMs = this.options.pacing.editsPerMinute / 60_000;
    const cap = Math.max(1, this.options.pacing.editsPerMinute / 3);
    this.tokens = Math.min(cap, this.tokens + (now - this.tokensAt) * perMs);
    this.tokensAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / perMs);
  }

  private schedule(jobId: string, entry: Entry): void {
    if (entry.scheduled || entry.inFlight || !entry.pending) return;
    const { clock, signal } = this.options;
    const now = clock.now();
    const due = Math.max(
      now,
      entry.lastEditAt + this.gapFor(entry.pending),
      entry.notBefore ?? 0,
      this.options.api.pausedUntil,
    );
    entry.scheduled = true;
    const run = () => {
      entry.scheduled = false;
      void this.flush(jobId, entry);
    };
    if (due <= now) {
      queueMicrotask(run);
      return;
    }
    clock.sleep(due - now, signal).then(run, () => {
      entry.scheduled = false;
    });
  }

  private async flush(jobId: string, entry: Entry): Promise<void> {
    const event = entry.pending;
    if (!event || this.options.signal.aborted) return;
    entry.inFlight = true;
    try {
      const ref = await this.ensure(event.job).catch((err: unknown) => {
        this.options.logger.warn({ err, jobId }, 'could not post the Slack status message');
        entry.noMessage = true;
        return undefined;
      });
      if (!ref) return;
      // A newer event may have arrived while the message was being posted.
      const latest = entry.pending ?? event;
      const rendered = renderStatus(latest.job, viewOf(latest));
      const key = JSON.stringify(rendered.blocks);
      if (key === entry.lastKey) {
        if (entry.pending === latest) entry.pending = undefined;
        return;
      }
      const wait = this.takeSlot(this.options.clock.now());
      if (wait > 0) {
        entry.notBefore = this.options.clock.now() + wait;
        return;
      }
      if (entry.pending === latest) entry.pending = undefined;
      try {
        await this.options.api.update(ref, rendered);
        entry.lastKey = key;
        entry.lastEditAt = this.options.clock.now();
      } catch (err) {
        this.onEditError(jobId, entry, latest, err);
      }
    } finally {
      entry.inFlight = false;
      if (entry.pending) this.schedule(jobId, entry);
      else if (isTerminal(event.job.state) && !entry.noMessage) this.entries.delete(jobId);
    }
  }

  private onEditError(jobId: string, entry: Entry, event: ProgressEvent, err: unknown): void {
    if (rateLimitOf(err) !== undefined) {
      // Show it again after the pause unless something newer arrived meanwhile.
      entry.pending ??= event;
      return;
    }
    const code = slackErrorCode(err);
    if (code === 'message_not_found' || code === 'channel_not_found' || code === 'not_in_channel') {
      this.options.logger.warn({ jobId, code }, 'Slack status message is gone; no more edits');
      entry.noMessage = true;
      entry.pending = undefined;
      return;
    }
    this.options.logger.warn({ err, jobId }, 'Slack status edit failed');
  }
}

function viewOf(event: ProgressEvent): StatusView {
  return {
    elapsedMs: event.elapsedMs,
    ...(event.queuePosition !== undefined ? { queuePosition: event.queuePosition } : {}),
    ...(event.estimatedRemainingMs !== undefined
      ? { estimatedRemainingMs: event.estimatedRemainingMs }
      : {}),
    ...(event.fraction !== undefined ? { fraction: event.fraction } : {}),
  };
}
