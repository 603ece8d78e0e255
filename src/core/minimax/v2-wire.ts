import { idString, positive } from './http-helpers.js';
import { normaliseTaskStatus } from './task-status.js';
import type { ListedTask, TaskInfo } from './types.js';

type Json = Record<string, unknown>;

/**
 * V2 errors carry the V1 code only inside the message ("invalid params, … (2013)"); the error
 * type names it too. Both readings of research/minimax-h3.md §3 are accepted: the code in
 * parentheses wins, the type is the fallback. An overloaded answer (529) has no code and is
 * judged by its HTTP status alone.
 */
const CODE_OF_TYPE: Readonly<Record<string, number>> = {
  bad_request_error: 2013,
  authorized_error: 1004,
  authentication_error: 1004,
  insufficient_balance_error: 1008,
  unprocessable_entity_error: 1026,
  rate_limit_error: 1002,
  server_error: 1000,
};

/** A V2 error body as the V1 `base_resp` the error tree reads; undefined when there is none. */
export function baseRespOfV2(
  json: Json | undefined,
): { status_code: number; status_msg: string } | undefined {
  const error = json?.error as { type?: unknown; message?: unknown } | undefined;
  if (!error || typeof error !== 'object') return undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  const inMessage = /\((\d{3,5})\)\s*$/.exec(message)?.[1];
  const code = inMessage
    ? Number(inMessage)
    : typeof error.type === 'string'
      ? CODE_OF_TYPE[error.type]
      : undefined;
  if (code === undefined) return undefined;
  return { status_code: code, status_msg: message.replace(/\s*\(\d{3,5}\)\s*$/, '') };
}

/** V2 statuses are lower case; `cancelled` and `expired` end the task without a video. */
function statusOf(raw: string): { status: TaskInfo['status']; cancelled: boolean } {
  const lower = raw.trim().toLowerCase();
  if (lower === 'cancelled' || lower === 'canceled' || lower === 'expired')
    return { status: 'Fail', cancelled: true };
  return { status: normaliseTaskStatus(lower), cancelled: false };
}

/** `{"task":{…}}` of GET /v2/query/video_generation/{id} (and of V2 callbacks) as TaskInfo. */
export function taskInfoOfV2(json: Json, fallbackId: string): TaskInfo {
  const task = (json.task ?? json) as Json;
  const rawStatus = typeof task.status === 'string' ? task.status : '';
  const { status, cancelled } = statusOf(rawStatus);
  const info: TaskInfo = {
    taskId: idString(task.id) ?? idString(task.task_id) ?? fallbackId,
    status,
    rawStatus,
  };
  const content = task.content as Json | undefined;
  if (typeof content?.url === 'string' && /^https?:\/\//.test(content.url))
    info.downloadUrl = content.url;
  const usage = task.usage as Json | undefined;
  // Output seconds: reference video (input seconds) is priced apart from the request's clips.
  const seconds = positive(usage?.output_seconds) ?? positive(usage?.total_seconds);
  if (seconds !== undefined) info.billedSeconds = seconds;
  if (cancelled) info.cancelled = true;
  const error = task.error as { code?: unknown; message?: unknown } | undefined;
  if (status === 'Fail' && error) {
    const code = Number(error.code);
    if (Number.isInteger(code) && code > 0) info.failureCode = code;
    if (typeof error.message === 'string' && error.message) info.failureMessage = error.message;
  }
  return info;
}

/** Seconds or milliseconds since the epoch, or an ISO date, as epoch ms. */
function epochMs(v: unknown): number | undefined {
  if (typeof v === 'number' && v > 0) return v < 1e12 ? v * 1000 : v;
  if (typeof v === 'string' && v) {
    const n = Number(v);
    if (Number.isFinite(n) && n > 0) return n < 1e12 ? n * 1000 : n;
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/**
 * The list answer's shape is not in the digest: tasks under `tasks`, `data` or `list`, each the
 * task itself or wrapped in `{task}`. Unreadable entries are skipped, never guessed.
 */
export function listedOfV2(json: Json): ListedTask[] {
  const raw = (json.tasks ?? json.data ?? json.list) as unknown;
  if (!Array.isArray(raw)) return [];
  const tasks: ListedTask[] = [];
  for (const entry of raw as Json[]) {
    const task = ((entry?.task as Json | undefined) ?? entry) as Json;
    const taskId = idString(task?.id) ?? idString(task?.task_id);
    if (!taskId) continue;
    const rawStatus = typeof task.status === 'string' ? task.status : '';
    const listed: ListedTask = { taskId, status: statusOf(rawStatus).status, rawStatus };
    if (typeof task.model === 'string') listed.model = task.model;
    const createdAt = epochMs(task.created_at);
    if (createdAt !== undefined) listed.createdAt = createdAt;
    if (typeof task.resolution === 'string') listed.resolution = task.resolution;
    if (typeof task.duration === 'number') listed.duration = task.duration;
    if (typeof task.ratio === 'string') listed.ratio = task.ratio;
    if (typeof task.task_type === 'string') listed.taskType = task.task_type;
    tasks.push(listed);
  }
  return tasks;
}
