import { createHmac, randomBytes } from 'node:crypto';
import type { CallbackNotifier } from './callbacks.js';
import { jsonReply, type Reply } from './replies.js';
import { MARKERS, TaskRecord } from './sim-task.js';
import type { TimelineMs } from './sim-types.js';
import { validateV2Body } from './v2-validate.js';

export interface SimV2Options {
  baseUrl: () => string;
  timeline: TimelineMs;
  now: () => number;
  callbacks: CallbackNotifier;
  downloadUrlTtlMs: number;
  billedSeconds?: number;
  /** Shared with V1: MiniMax counts one RPM window per account. */
  createAllowed: () => boolean;
  countCreate: () => void;
  nextTaskId: () => string;
  register: (task: TaskRecord) => void;
  /** What an uploaded file is, for `mm_file://` references. */
  uploadedKind: (fileId: string) => 'video' | 'audio' | 'other' | undefined;
}

/** The V2 error body: a real HTTP status and `error`, no base_resp (research/minimax-h3.md §3). */
export function v2Error(status: number, type: string, message: string, code?: number): Reply {
  return {
    ...jsonReply(
      {
        type: 'error',
        error: {
          type,
          message: code === undefined ? message : `${message} (${code})`,
          http_code: String(status),
        },
        request_id: randomBytes(8).toString('hex'),
      },
      status,
    ),
    ...(code === undefined ? {} : { code }),
  };
}

const badRequest = (detail: string) =>
  v2Error(400, 'bad_request_error', `invalid params, ${detail}`, 2013);

/** Lower-case V2 status of a simulated task. */
export function v2Status(task: TaskRecord): string {
  if (task.cancelled) return 'cancelled';
  switch (task.status) {
    case 'Preparing':
    case 'Queueing':
      return 'queued';
    case 'Processing':
      return 'running';
    case 'Success':
      return 'succeeded';
    default:
      return 'failed';
  }
}

/** MiniMax-H3's create, query, list, cancel/delete, regeneration and prompt enhancer. */
export class SimV2Api {
  readonly deleted = new Set<string>();
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly secret = randomBytes(16);

  constructor(private readonly o: SimV2Options) {}

  create(raw: unknown, regeneration = false): { reply: Reply; task?: TaskRecord } {
    if (!this.o.createAllowed())
      return { reply: v2Error(429, 'rate_limit_error', 'rate limit exceeded(RPM)', 1002) };
    const invalid = validateV2Body(raw, regeneration, this.o.uploadedKind);
    if (invalid) return { reply: badRequest(invalid) };
    const body = raw as Record<string, unknown>;
    const text = textOf(body);
    if (text.includes(MARKERS.inputModeration))
      return { reply: v2Error(422, 'unprocessable_entity_error', 'input new_sensitive', 1026) };
    const task = new TaskRecord({
      taskId: this.o.nextTaskId(),
      fileId: '0',
      // V1 markers are read from `prompt`; V2 keeps its text in content.
      body: { ...body, prompt: text },
      createdAt: this.o.now(),
      ...sizeOf(body),
      now: this.o.now,
      timeline: this.o.timeline,
      api: 'v2',
      taskType: regeneration ? 'regeneration' : 'generation',
    });
    this.tasks.set(task.taskId, task);
    this.o.register(task);
    this.o.countCreate();
    if (typeof body.callback_url === 'string') {
      const { preparing, queueing, processing } = this.o.timeline;
      this.o.callbacks.subscribe(
        task,
        body.callback_url,
        [preparing + queueing, preparing + queueing + processing],
        (t) => this.taskBody(t),
      );
    }
    return { reply: jsonReply({ task_id: task.taskId }), task };
  }

  query(taskId: string): Reply {
    const task = this.tasks.get(taskId);
    if (!task || this.deleted.has(taskId)) return badRequest('invalid task_id');
    this.o.callbacks.check(taskId);
    return jsonReply({ task: this.taskBody(task) });
  }

  list(query: Record<string, string>): Reply {
    const model = query['filter.model'];
    const size = Math.min(100, Number(query.page_size ?? 20) || 20);
    const page = Math.max(1, Number(query.page_num ?? 1) || 1);
    const all = [...this.tasks.values()]
      .filter((t) => !this.deleted.has(t.taskId) && (!model || t.model === model))
      .sort((a, b) => b.createdAt - a.createdAt);
    const tasks = all.slice((page - 1) * size, page * size).map((t) => this.taskBody(t));
    return jsonReply({ tasks, total: all.length });
  }

  /** Queued: cancelled, never charged. Finished: deleted. Running or cancelled: refused. */
  cancel(taskId: string): Reply {
    const task = this.tasks.get(taskId);
    if (!task || this.deleted.has(taskId)) return badRequest('invalid task_id');
    const status = v2Status(task);
    if (status === 'queued') {
      task.cancelled = true;
      task.finish('Fail', this.o.now());
      this.o.callbacks.check(taskId);
      return jsonReply({ task_id: taskId, status: 'cancelled' });
    }
    if (status === 'succeeded' || status === 'failed') {
      this.deleted.add(taskId);
      return jsonReply({ task_id: taskId, status: 'deleted' });
    }
    return badRequest(`task is ${status} and cannot be cancelled`);
  }

  /** The enhancer answers at once here; the client also handles a task it has to query. */
  enhance(raw: unknown): Reply {
    const body = raw as Record<string, unknown> | undefined;
    const text = body ? textOf(body) : '';
    if (!text.trim()) return badRequest('content must hold exactly one text item');
    const enhanced = `${text.trim()}. Cinematic lighting, smooth camera motion, rich ambient sound.`;
    return jsonReply({
      task_id: this.o.nextTaskId(),
      task: { status: 'succeeded', task_type: 'h3_context_ir', content: { prompt: enhanced } },
    });
  }

  /** The query answer's `task`; also the body of V2 callbacks. */
  taskBody(task: TaskRecord): Record<string, unknown> {
    const status = v2Status(task);
    const duration = Number(task.body.duration);
    const body: Record<string, unknown> = {
      id: task.taskId,
      model: task.model,
      status,
      created_at: Math.floor(task.createdAt / 1000),
      updated_at: Math.floor(this.o.now() / 1000),
      resolution: task.body.resolution,
      duration,
      ratio: task.body.ratio ?? 'adaptive',
      task_type: task.taskType,
      modality: 'video',
    };
    if (status === 'succeeded') {
      const expiresAt = this.o.now() + this.o.downloadUrlTtlMs;
      body.content = { url: this.signedUrl(task.taskId, expiresAt) };
      const billed = this.o.billedSeconds ?? duration;
      body.usage = {
        total_seconds: billed,
        output_seconds: billed,
        input_image_count: images(task),
      };
    }
    if (status === 'failed')
      body.error = {
        code: String(task.failCode || 1000),
        message: task.failMsg === 'success' ? 'generation failed' : task.failMsg,
      };
    return body;
  }

  /** Checks a V2 download path; 'ok', or why it is refused. */
  checkDownload(
    pathname: string,
    query: Record<string, string>,
  ): 'ok' | 'expired' | 'forbidden' | 'missing' | undefined {
    const m = /^\/cdn\/v2\/(\d+)\/output\.mp4$/.exec(pathname);
    if (!m) return undefined;
    const task = this.tasks.get(m[1]!);
    if (!task || v2Status(task) !== 'succeeded') return 'missing';
    const expires = Number(query.Expires);
    if (query.Signature !== this.sign(task.taskId, expires)) return 'forbidden';
    return expires <= this.o.now() ? 'expired' : 'ok';
  }

  private signedUrl(taskId: string, expiresAt: number): string {
    return `${this.o.baseUrl()}/cdn/v2/${taskId}/output.mp4?Expires=${expiresAt}&Signature=${this.sign(taskId, expiresAt)}`;
  }

  private sign(taskId: string, expiresAt: number): string {
    return createHmac('sha256', this.secret)
      .update(`v2:${taskId}:${expiresAt}`)
      .digest('hex')
      .slice(0, 32);
  }
}

function textOf(body: Record<string, unknown>): string {
  const items = Array.isArray(body.content) ? (body.content as Record<string, unknown>[]) : [];
  const text = items.find((i) => i?.type === 'text')?.text;
  return typeof text === 'string' ? text : '';
}

function images(task: TaskRecord): number {
  const items = Array.isArray(task.body.content)
    ? (task.body.content as Record<string, unknown>[])
    : [];
  return items.filter((i) => i?.type === 'image_url').length;
}

const SIZES: Record<string, number> = { '480P': 480, '768P': 768, '2K': 1440 };

/** Output size from resolution and ratio (adaptive: 16:9, as a frame of that shape would give). */
function sizeOf(body: Record<string, unknown>): { width: number; height: number } {
  const short = SIZES[String(body.resolution)] ?? 768;
  const [w, h] = String(body.ratio ?? '16:9')
    .split(':')
    .map(Number);
  if (!w || !h) return { width: Math.round((short * 16) / 9), height: short };
  return w >= h
    ? { width: Math.round((short * w) / h), height: short }
    : { width: short, height: Math.round((short * h) / w) };
}
