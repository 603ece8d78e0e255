import type { SimStatus, SimTask, TimelineMs } from './sim-types.js';

/** Prompt markers that script a task's fate (SPEC §1.6). */
export const MARKERS = {
  inputModeration: '[[moderation]]',
  fail: '[[fail]]',
  outputModeration: '[[output-moderation]]',
} as const;

const DEFAULT_TIMELINE: TimelineMs = { preparing: 50, queueing: 50, processing: 200 };

/** Fills missing or invalid phase lengths with the defaults. */
export function timelineFrom(partial: Partial<TimelineMs> | undefined): TimelineMs {
  const pick = (k: keyof TimelineMs) => {
    const v = partial?.[k];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : DEFAULT_TIMELINE[k];
  };
  return {
    preparing: pick('preparing'),
    queueing: pick('queueing'),
    processing: pick('processing'),
  };
}

/** One simulated task; its status is a function of the clock unless `finish` pinned it. */
export class TaskRecord implements SimTask {
  readonly taskId: string;
  readonly model: string;
  readonly body: Record<string, unknown>;
  readonly createdAt: number;
  readonly width: number;
  readonly height: number;
  outcome: 'Success' | 'Fail';
  failCode = 0;
  failMsg = 'success';
  /** The file id the task gets when it succeeds. */
  readonly fileIdOnceDone: string;
  /** Which API made it: V2 tasks are queried by path and carry their URL (no file id). */
  readonly api: 'v1' | 'v2';
  /** V2: `generation` or `regeneration`. */
  readonly taskType: string;
  /** V2: cancelled while queued (never charged). */
  cancelled = false;
  private finishedAt: number | undefined;
  private readonly now: () => number;
  private readonly timeline: TimelineMs;

  constructor(opts: {
    taskId: string;
    body: Record<string, unknown>;
    createdAt: number;
    width: number;
    height: number;
    fileId: string;
    now: () => number;
    timeline: TimelineMs;
    api?: 'v1' | 'v2';
    taskType?: string;
  }) {
    this.api = opts.api ?? 'v1';
    this.taskType = opts.taskType ?? 'generation';
    this.fileIdOnceDone = opts.fileId;
    this.now = opts.now;
    this.timeline = opts.timeline;
    this.taskId = opts.taskId;
    this.body = opts.body;
    this.model = String(opts.body.model);
    this.createdAt = opts.createdAt;
    this.width = opts.width;
    this.height = opts.height;
    const prompt = typeof opts.body.prompt === 'string' ? opts.body.prompt : '';
    this.outcome = 'Success';
    if (prompt.includes(MARKERS.outputModeration)) {
      this.outcome = 'Fail';
      this.failCode = 1027;
      this.failMsg = 'output new_sensitive: the generated video was flagged as sensitive';
    } else if (prompt.includes(MARKERS.fail)) {
      this.outcome = 'Fail';
    }
  }

  get status(): SimStatus {
    if (this.finishedAt !== undefined) return this.outcome;
    const elapsed = this.now() - this.createdAt;
    const { preparing, queueing, processing } = this.timeline;
    if (elapsed < preparing) return 'Preparing';
    if (elapsed < preparing + queueing) return 'Queueing';
    if (elapsed < preparing + queueing + processing) return 'Processing';
    return this.outcome;
  }

  /** The file id, only once the task has succeeded (MiniMax sends "" before). */
  get fileId(): string | undefined {
    return this.status === 'Success' && this.api === 'v1' ? this.fileIdOnceDone : undefined;
  }

  /** Total time until the terminal status, in ms from creation. */
  get durationMs(): number {
    const { preparing, queueing, processing } = this.timeline;
    return preparing + queueing + processing;
  }

  finish(outcome: 'Success' | 'Fail' | undefined, at: number): void {
    if (outcome && outcome !== this.outcome) {
      this.outcome = outcome;
      if (outcome === 'Success') {
        this.failCode = 0;
        this.failMsg = 'success';
      }
    }
    this.finishedAt ??= at;
  }
}

/**
 * The task as a query answer (and, with another status spelling, a callback body). Real pending
 * answers carry an empty file id and zero size (research §3.2).
 */
export function taskStateBody(task: TaskRecord, statusText: string): Record<string, unknown> {
  const status = task.status;
  const done = status === 'Success';
  return {
    task_id: task.taskId,
    status: statusText,
    file_id: task.fileId ?? '',
    video_width: done ? task.width : 0,
    video_height: done ? task.height : 0,
    base_resp:
      status === 'Fail'
        ? { status_code: task.failCode, status_msg: task.failMsg }
        : { status_code: 0, status_msg: 'success' },
  };
}
