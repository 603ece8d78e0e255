import { createHmac, randomBytes } from 'node:crypto';
import type { CallbackNotifier } from './callbacks.js';
import { baseRespReply, jsonReply, type Reply } from './replies.js';
import { MARKERS, TaskRecord, taskStateBody } from './sim-task.js';
import type { TimelineMs } from './sim-types.js';
import { outputSize, validateCreateBody } from './validate-body.js';

const MINUTE_MS = 60_000;

export interface SimApiOptions {
  baseUrl: () => string;
  timeline: TimelineMs;
  rpm: number | undefined;
  downloadUrlTtlMs: number;
  failSpelling: 'Fail' | 'Failed';
  backupDownloadUrl: boolean;
  fileIdDigits: number;
  now: () => number;
  callbacks: CallbackNotifier;
}

/** The three MiniMax endpoints over in-memory state; answers are buffered `Reply`s. */
export class SimApi {
  readonly tasks = new Map<string, TaskRecord>();
  private readonly files = new Map<string, TaskRecord>();
  private createdAt: number[] = [];
  private seq = 0;
  private readonly secret = randomBytes(16);

  constructor(private readonly o: SimApiOptions) {}

  /** Returns the reply and, when a task was made, the task (after-create faults need it). */
  /** One RPM window for the account, V1 and V2 creates together; true when one may be made. */
  createAllowed(): boolean {
    const now = this.o.now();
    this.createdAt = this.createdAt.filter((t) => t > now - MINUTE_MS);
    return this.o.rpm === undefined || this.createdAt.length < this.o.rpm;
  }

  /** A task was made: it counts in the window. */
  countCreate(): void {
    this.createdAt.push(this.o.now());
  }

  nextTaskId(): string {
    this.seq += 1;
    return String(176_843_862_716_480 + this.seq * 17);
  }

  /** V2 tasks join the same table, so `finish` and the test views see every task. */
  register(task: TaskRecord): void {
    this.tasks.set(task.taskId, task);
  }

  create(raw: unknown): { reply: Reply; task?: TaskRecord } {
    const now = this.o.now();
    this.createdAt = this.createdAt.filter((t) => t > now - MINUTE_MS);
    if (this.o.rpm !== undefined && this.createdAt.length >= this.o.rpm)
      return { reply: baseRespReply(1002, undefined, { task_id: '' }) };
    const invalid = validateCreateBody(raw);
    if (invalid) return { reply: baseRespReply(2013, invalid, { task_id: '' }) };
    const body = raw as Record<string, unknown>;
    if (typeof body.prompt === 'string' && body.prompt.includes(MARKERS.inputModeration))
      return { reply: baseRespReply(1026, undefined, { task_id: '' }) };

    this.createdAt.push(now);
    const taskId = this.nextTaskId();
    const task = new TaskRecord({
      taskId,
      fileId: this.fileIdFor(this.seq),
      body,
      createdAt: now,
      ...outputSize(body),
      now: this.o.now,
      timeline: this.o.timeline,
    });
    this.tasks.set(task.taskId, task);
    this.files.set(task.fileIdOnceDone, task);
    if (typeof body.callback_url === 'string') {
      const { preparing, queueing, processing } = this.o.timeline;
      this.o.callbacks.subscribe(task, body.callback_url, [
        preparing,
        preparing + queueing,
        preparing + queueing + processing,
      ]);
    }
    return {
      reply: jsonReply({
        task_id: task.taskId,
        base_resp: { status_code: 0, status_msg: 'success' },
      }),
      task,
    };
  }

  query(taskId: string | undefined): Reply {
    const task = taskId ? this.tasks.get(taskId) : undefined;
    if (!task)
      return baseRespReply(2013, 'invalid params, task_id not found', { task_id: taskId ?? '' });
    this.o.callbacks.check(task.taskId);
    const status = task.status;
    return jsonReply(taskStateBody(task, status === 'Fail' ? this.o.failSpelling : status));
  }

  retrieve(fileId: string | undefined, expired: boolean): Reply {
    const task = fileId ? this.files.get(fileId) : undefined;
    if (!fileId || !task || task.fileId !== fileId)
      return baseRespReply(2013, 'invalid params, file_id not found');
    const expiresAt = expired ? this.o.now() - 1 : this.o.now() + this.o.downloadUrlTtlMs;
    const url = this.signedUrl('cdn', fileId, expiresAt);
    const backup = this.o.backupDownloadUrl
      ? `,"backup_download_url":${JSON.stringify(this.signedUrl('cdn-backup', fileId, expiresAt))}`
      : '';
    // file.file_id is a bare JSON number in real answers; written by hand so 18 digits stay exact.
    const body =
      `{"file":{"file_id":${fileId},"bytes":0,"created_at":${Math.floor(task.createdAt / 1000)},` +
      `"filename":"output.mp4","purpose":"video_generation","download_url":${JSON.stringify(url)}${backup}},` +
      `"base_resp":{"status_code":0,"status_msg":"success"}}`;
    return { status: 200, contentType: 'application/json; charset=utf-8', body, code: 0 };
  }

  /** Checks a download path; 'ok', or why it is refused. */
  checkDownload(
    pathname: string,
    query: Record<string, string>,
  ): 'ok' | 'expired' | 'forbidden' | 'missing' {
    const m = /^\/(cdn|cdn-backup)\/inference_output\/video\/(\d+)\/output\.mp4$/.exec(pathname);
    if (!m) return 'missing';
    const fileId = m[2]!;
    const task = this.files.get(fileId);
    if (!task || task.fileId !== fileId) return 'missing';
    const expires = Number(query.Expires);
    if (query.Signature !== this.sign(fileId, expires)) return 'forbidden';
    return expires <= this.o.now() ? 'expired' : 'ok';
  }

  finish(taskId: string, outcome?: 'Success' | 'Fail'): void {
    const task = this.tasks.get(taskId);
    if (!task) throw new Error(`unknown task ${taskId}`);
    task.finish(outcome, this.o.now());
    this.o.callbacks.check(taskId);
  }

  private fileIdFor(seq: number): string {
    const digits = BigInt(Math.max(6, this.o.fileIdDigits));
    const base = 10n ** (digits - 1n) * 3n;
    return String(base + 176_844_028_768n + BigInt(seq) * 13n);
  }

  private signedUrl(prefix: string, fileId: string, expiresAt: number): string {
    return `${this.o.baseUrl()}/${prefix}/inference_output/video/${fileId}/output.mp4?Expires=${expiresAt}&Signature=${this.sign(fileId, expiresAt)}`;
  }

  private sign(fileId: string, expiresAt: number): string {
    return createHmac('sha256', this.secret)
      .update(`${fileId}:${expiresAt}`)
      .digest('hex')
      .slice(0, 32);
  }
}
