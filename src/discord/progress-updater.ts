import type { APIMessage, RawFile } from 'discord.js';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { isTerminal, type Job } from '../core/jobs/job.js';
import type { ProgressEvent } from '../core/progress.js';
import { discordRefOf } from './discord-ref.js';
import { discordCode, type MessageEditor } from './message-editor.js';
import { type MessageView, renderEnded, renderProgress } from './progress-message.js';

export interface ProgressUpdaterOptions {
  editor: Pick<MessageEditor, 'edit'>;
  clock: Clock;
  logger: Logger;
  /** Least time between two progress edits of one message (default 5 s). */
  minEditGapMs?: number;
  /** The same for messages older than an hour, which Discord caps (30046; default 60 s). */
  oldMessageEditGapMs?: number;
  /** How long to stop progress edits after Discord answered 30046 (default 10 min). */
  editCapPauseMs?: number;
}

const HOUR_MS = 3_600_000;
const MAX_EDITS_OLD_MESSAGE = 30046;
/** Unknown message/channel, missing access/permissions: more progress edits would only fail. */
const HOPELESS = new Set([10003, 10008, 50001, 50013]);

/**
 * One live message per job: progress edits are coalesced, sent only when the text changes and
 * never closer than the minimum gap, and run one at a time so the final edit always lands last.
 */
class JobMessage {
  private shownKey?: string;
  private lastEditAt = Number.NEGATIVE_INFINITY;
  private newestUpdate = Number.NEGATIVE_INFINITY;
  private pending?: { job: Job; view: MessageView; key: string };
  private timer?: AbortController;
  private chain: Promise<unknown> = Promise.resolve();
  private pausedUntil = 0;
  finished = false;

  constructor(
    private readonly jobId: string,
    private readonly o: Required<ProgressUpdaterOptions>,
  ) {}

  offer(job: Job, view: MessageView): void {
    // Events can arrive out of order with the adapter's own first render; never show an older state.
    if (this.finished || job.updatedAt < this.newestUpdate) return;
    this.newestUpdate = job.updatedAt;
    const key = JSON.stringify(view);
    if (key === this.shownKey) {
      this.pending = undefined;
      return;
    }
    this.pending = { job, view, key };
    if (!this.timer) this.schedule(job);
  }

  /** Runs the final edit after any edit in flight; later progress is ignored. */
  finish<T>(edit: () => Promise<T>): Promise<T> {
    this.finished = true;
    this.pending = undefined;
    this.timer?.abort();
    const run = this.chain.then(edit);
    this.chain = run.catch(() => undefined);
    return run;
  }

  async idle(): Promise<void> {
    await this.chain;
  }

  cancelTimer(): void {
    this.timer?.abort();
  }

  private schedule(job: Job): void {
    const now = this.o.clock.now();
    const created = discordRefOf(job).messageCreatedAt ?? job.createdAt;
    const gap = now - created > HOUR_MS ? this.o.oldMessageEditGapMs : this.o.minEditGapMs;
    const waitMs = Math.max(0, this.lastEditAt + gap - now, this.pausedUntil - now);
    if (!Number.isFinite(waitMs)) return;
    const timer = new AbortController();
    this.timer = timer;
    this.o.clock.sleep(waitMs, timer.signal).then(
      () => {
        this.timer = undefined;
        this.chain = this.chain.then(() => this.flush());
      },
      () => {
        if (this.timer === timer) this.timer = undefined;
      },
    );
  }

  private async flush(): Promise<void> {
    const next = this.pending;
    this.pending = undefined;
    if (!next || this.finished || next.key === this.shownKey) return;
    this.lastEditAt = this.o.clock.now();
    try {
      await this.o.editor.edit(next.job, next.view);
      this.shownKey = next.key;
    } catch (err) {
      const code = discordCode(err);
      if (code === MAX_EDITS_OLD_MESSAGE)
        this.pausedUntil = this.o.clock.now() + this.o.editCapPauseMs;
      // Only the final result is still tried (the deliverer then posts a new message).
      if (code !== undefined && HOPELESS.has(code)) this.pausedUntil = Number.POSITIVE_INFINITY;
      this.o.logger.warn({ err, jobId: this.jobId }, 'progress edit failed');
    }
  }
}

/** Turns the core's progress events into throttled edits of each job's Discord message. */
export class ProgressUpdater {
  private readonly messages = new Map<string, JobMessage>();
  private readonly o: Required<ProgressUpdaterOptions>;

  constructor(options: ProgressUpdaterOptions) {
    this.o = {
      minEditGapMs: 5_000,
      oldMessageEditGapMs: 60_000,
      editCapPauseMs: 10 * 60_000,
      ...options,
    };
  }

  /** Never throws: a bad event for one job must not reach the engine or other jobs. */
  onEvent(event: ProgressEvent): void {
    try {
      this.handle(event);
    } catch (err) {
      this.o.logger.warn({ err, jobId: event.jobId }, 'could not render progress');
    }
  }

  private handle(event: ProgressEvent): void {
    const { job } = event;
    if (job.origin.platform !== 'discord') return;
    if (job.state === 'done') {
      // The deliverer already put the video in the message; nothing more to show.
      this.drop(job.id);
      return;
    }
    if (isTerminal(job.state)) {
      void this.finish(job, () => this.o.editor.edit(job, renderEnded(job))).catch((err) =>
        this.o.logger.warn({ err, jobId: job.id }, 'final edit failed'),
      );
      return;
    }
    this.messageOf(job.id).offer(job, renderProgress(event));
  }

  /** Runs the job's last edit (the video, or why it ended) after any edit in flight. */
  async finish(job: Job, edit: () => Promise<APIMessage>): Promise<APIMessage> {
    const message = this.messageOf(job.id);
    try {
      return await message.finish(edit);
    } finally {
      if (this.messages.get(job.id) === message) this.messages.delete(job.id);
    }
  }

  /** `finish` with an edit of the job's own message. */
  finishWith(job: Job, view: MessageView, files: RawFile[] = []): Promise<APIMessage> {
    return this.finish(job, () => this.o.editor.edit(job, view, files));
  }

  /** Stops scheduling edits and waits for those in flight. */
  async stop(): Promise<void> {
    const all = [...this.messages.values()];
    for (const m of all) m.cancelTimer();
    await Promise.all(all.map((m) => m.idle()));
    this.messages.clear();
  }

  private messageOf(jobId: string): JobMessage {
    let m = this.messages.get(jobId);
    if (!m) {
      m = new JobMessage(jobId, this.o);
      this.messages.set(jobId, m);
    }
    return m;
  }

  private drop(jobId: string): void {
    const m = this.messages.get(jobId);
    if (!m) return;
    m.finished = true;
    m.cancelTimer();
    this.messages.delete(jobId);
  }
}
