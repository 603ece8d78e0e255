import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { HttpRoute } from './http-route.js';
import { readBody } from './read-body.js';
import { sendJson } from './respond.js';

export const CALLBACK_PATH = '/minimax/callback';

/** What a callback turned out to be, for metrics. */
export type CallbackKind = 'challenge' | 'hint' | 'progress' | 'invalid';

export interface CallbackRouteOptions {
  logger: Logger;
  /**
   * Asks the engine to query `taskId` now (JobEngine.notifyTaskUpdate). Called without awaiting;
   * errors are logged. The callback itself is never trusted: nothing authenticates MiniMax's POSTs.
   */
  onTaskHint: (taskId: string) => unknown;
  onCallback?: (kind: CallbackKind) => void;
  /**
   * The per-bot secret (callback-secret.ts). With it the route also answers
   * `/minimax/callback/<secret>`, and a status callback there for `taskId` calls
   * `onAuthentic(taskId)`: the only kind that proves callbacks reach the bot. A stranger's POST
   * (no or a wrong secret) is still answered and may still hint, which costs one query at most.
   */
  secret?: string;
  onAuthentic?: (taskId: string) => unknown;
}

// Callbacks for these statuses carry nothing the bot acts on; querying on each would spend the
// per-task query budget that polling already covers. Anything else (success, fail, unknown) hints.
const IN_PROGRESS = new Set(['preparing', 'queueing', 'queued', 'processing', 'running']);
const TASK_ID = /^[A-Za-z0-9_-]{1,64}$/;
const OK = { base_resp: { status_code: 0, status_msg: 'success' } };

/**
 * POST /minimax/callback (research/minimax-api.md §6): echoes `challenge` at once (MiniMax allows
 * 3 s), and turns a status update into a hint to query the task. Always answers 200 and never
 * throws, so a malformed or hostile body cannot make MiniMax (or anyone) see an error to retry.
 */
export function createCallbackRoutes(options: CallbackRouteOptions): HttpRoute[] {
  const logger = options.logger.child({ component: 'minimax-callback' });
  const record = (kind: CallbackKind) => {
    try {
      options.onCallback?.(kind);
    } catch {
      // Metrics must never break the answer.
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, authentic: boolean) => {
    let text = '';
    try {
      text = await readBody(req, { limitBytes: 64 * 1024, timeoutMs: 2_000 });
    } catch (err) {
      logger.debug({ err: (err as Error).message }, 'unreadable callback body');
    }
    const parsed = parseCallback(text);
    if (parsed.challenge !== undefined) {
      record('challenge');
      logger.debug('answered callback challenge');
      return sendJson(res, 200, { challenge: parsed.challenge });
    }
    sendJson(res, 200, OK);
    if (!parsed.taskId) {
      record('invalid');
      logger.debug('callback without a usable task_id');
      return;
    }
    const { taskId, status } = parsed;
    if (authentic) safely(() => options.onAuthentic?.(taskId), taskId);
    if (status && IN_PROGRESS.has(status)) {
      record('progress');
      logger.debug({ taskId, status }, 'callback progress update');
      return;
    }
    record('hint');
    logger.debug({ taskId, status }, 'callback: querying the task now');
    safely(() => options.onTaskHint(taskId), taskId);
  };
  const safely = (work: () => unknown, taskId: string) => {
    try {
      const result = work();
      if (result instanceof Promise)
        result.catch((err: unknown) => logger.warn({ err, taskId }, 'callback hint failed'));
    } catch (err) {
      logger.warn({ err, taskId }, 'callback hint failed');
    }
  };

  const { secret } = options;
  const routes: HttpRoute[] = [
    // Tasks created before the secret existed, and strangers: answered, never trusted.
    { method: 'POST', path: CALLBACK_PATH, handle: (req, res) => handle(req, res, false) },
  ];
  if (secret) {
    routes.push({
      method: 'POST',
      path: `${CALLBACK_PATH}/`,
      handle: (req, res) => {
        const given = (req.url ?? '').split('?')[0]!.slice(CALLBACK_PATH.length + 1);
        return handle(req, res, isCallbackSecret(given, secret));
      },
    });
  }
  return routes;
}

export interface ParsedCallback {
  challenge?: string | number;
  taskId?: string;
  /** Lower-cased; MiniMax documents lower case here but upper case elsewhere. */
  status?: string;
}

/** Tolerant parse: task_id as string or number (kept digit-exact), any status case. */
export function parseCallback(text: string): ParsedCallback {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const record = body as Record<string, unknown>;
  const challenge = record['challenge'];
  if (typeof challenge === 'string' || typeof challenge === 'number') return { challenge };

  // V1 posts `task_id` and `status`; V2 (MiniMax-H3) posts its query answer's `task` object.
  const task = record['task'];
  const v2 = record['task_id'] === undefined && task && typeof task === 'object';
  const source = v2 ? (task as Record<string, unknown>) : record;
  const key = v2 ? 'id' : 'task_id';
  const result: ParsedCallback = {};
  const rawId = source[key];
  let taskId: string | undefined;
  if (typeof rawId === 'string') taskId = rawId.trim();
  else if (typeof rawId === 'number' && Number.isFinite(rawId)) {
    // JSON.parse rounds ids past 2^53; take the digits from the text instead.
    taskId = new RegExp(`"${key}"\\s*:\\s*(\\d+)`).exec(text)?.[1] ?? String(rawId);
  }
  if (taskId && TASK_ID.test(taskId)) result.taskId = taskId;
  if (typeof source['status'] === 'string') result.status = source['status'].trim().toLowerCase();
  return result;
}

/** Constant-time comparison, so the secret cannot be guessed one character at a time. */
export function isCallbackSecret(candidate: string, secret: string): boolean {
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
