import { BotError, type BotErrorInit } from '../errors.js';
import { MINIMAX_ERROR_CODES, type MinimaxErrorKind } from './error-codes.js';
import type { TaskInfo } from './types.js';

export { MINIMAX_ERROR_CODES, type MinimaxCodeEntry } from './error-codes.js';

/** `list`, `cancel` and `enhance` exist on the V2 API only. */
export type MinimaxEndpoint =
  | 'create'
  | 'query'
  | 'retrieve'
  | 'list'
  | 'cancel'
  | 'enhance'
  | 'upload';

export interface MinimaxErrorInit extends BotErrorInit {
  /** `base_resp.status_code`, when MiniMax sent one. */
  statusCode?: number;
  httpStatus?: number;
  traceId?: string;
  endpoint?: MinimaxEndpoint;
  /** True only when it is certain no task was made, so a create may be retried safely. */
  definitelyNotCreated: boolean;
}

/** Any failed MiniMax call. `message` carries the details for logs (never the key or URLs). */
export class MinimaxError extends BotError {
  // The subclass's own name, so logs and stack traces name the case without repeating it.
  override name = this.constructor.name;
  readonly statusCode: number | undefined;
  readonly httpStatus: number | undefined;
  readonly traceId: string | undefined;
  readonly endpoint: MinimaxEndpoint | undefined;
  readonly definitelyNotCreated: boolean;

  constructor(init: MinimaxErrorInit) {
    super(init);
    this.statusCode = init.statusCode;
    this.httpStatus = init.httpStatus;
    this.traceId = init.traceId;
    this.endpoint = init.endpoint;
    this.definitelyNotCreated = init.definitelyNotCreated;
  }
}

/** The cases by name; each takes its `name` from the class. */
export class MinimaxRateLimitedError extends MinimaxError {}
export class MinimaxAuthError extends MinimaxError {}
export class MinimaxBalanceError extends MinimaxError {}
export class MinimaxModerationError extends MinimaxError {}
export class MinimaxInvalidParamsError extends MinimaxError {}
export class MinimaxQuotaError extends MinimaxError {}
export class MinimaxServerError extends MinimaxError {}
export class MinimaxConnectionError extends MinimaxError {}
export class MinimaxTimeoutError extends MinimaxError {}
export class MinimaxMalformedResponseError extends MinimaxError {}

const CLASS_OF: Record<MinimaxErrorKind, new (init: MinimaxErrorInit) => MinimaxError> = {
  rate_limited: MinimaxRateLimitedError,
  auth: MinimaxAuthError,
  balance: MinimaxBalanceError,
  moderation: MinimaxModerationError,
  invalid_params: MinimaxInvalidParamsError,
  quota: MinimaxQuotaError,
  server: MinimaxServerError,
};

export interface MinimaxResponseFacts {
  httpStatus?: number;
  /** The parsed `base_resp`, whatever its shape. */
  baseResp?: unknown;
  traceId?: string;
  endpoint: MinimaxEndpoint;
  /** Raw body text; only a short, URL-free preview reaches the log message. */
  body?: string;
}

function preview(body: string | undefined): string {
  if (!body) return '';
  const flat = body
    .replace(/https?:\/\/([^/\s"'?]+)[^\s"']*/g, 'https://$1/…')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

function readBaseResp(raw: unknown): { code?: number; msg: string } {
  const r = raw as { status_code?: unknown; status_msg?: unknown } | undefined;
  const code = typeof r?.status_code === 'number' ? r.status_code : undefined;
  return {
    ...(code === undefined ? {} : { code }),
    msg: typeof r?.status_msg === 'string' ? r.status_msg : '',
  };
}

type HttpEntry = Omit<MinimaxErrorInit, 'message'> & {
  cls: new (init: MinimaxErrorInit) => MinimaxError;
};

/** Non-2xx answers without a known base_resp code (gateways, proxies; research §5.1). */
function httpEntry(status: number, msg: string): HttpEntry | undefined {
  const fromCode = (code: number, cls: HttpEntry['cls']): HttpEntry => {
    const { code: botCode, retryable, definitelyNotCreated } = MINIMAX_ERROR_CODES[code]!;
    return {
      cls,
      code: botCode,
      textKey: `minimax_${code}`,
      params: { msg },
      retryable,
      definitelyNotCreated,
    };
  };
  if (status === 401 || status === 403) return fromCode(1004, MinimaxAuthError);
  if (status === 429) return fromCode(1002, MinimaxRateLimitedError);
  if (status === 408)
    return {
      cls: MinimaxTimeoutError,
      code: 'minimax_timeout',
      retryable: true,
      definitelyNotCreated: false,
    };
  if (status >= 500)
    return {
      cls: MinimaxServerError,
      code: 'minimax_server',
      textKey: 'minimax_http_5xx',
      params: { status },
      retryable: true,
      definitelyNotCreated: false,
    };
  if (status < 400) return undefined;
  return {
    cls: MinimaxInvalidParamsError,
    code: 'minimax_invalid_params',
    textKey: status === 404 || status === 413 ? `minimax_http_${status}` : 'minimax_http_4xx',
    params: { status },
    definitelyNotCreated: true,
  };
}

/**
 * The one place that turns a MiniMax answer into an error: `base_resp` codes first (MiniMax
 * reports business errors with HTTP 200), then the HTTP status, then "unexpected answer".
 */
export function minimaxErrorFrom(facts: MinimaxResponseFacts): MinimaxError {
  const { httpStatus, traceId, endpoint } = facts;
  const { code, msg } = readBaseResp(facts.baseResp);
  const where = `MiniMax ${endpoint}: HTTP ${httpStatus ?? '-'}, base_resp ${code ?? '-'}${msg ? ` "${msg}"` : ''}, trace ${traceId ?? '-'}`;
  const common = { httpStatus, traceId, endpoint, ...(code ? { statusCode: code } : {}) };

  const entry = code ? MINIMAX_ERROR_CODES[code] : undefined;
  if (entry) {
    return new CLASS_OF[entry.kind]({
      ...common,
      code: entry.code,
      textKey: `minimax_${code}`,
      params: { msg },
      message: where,
      retryable: entry.retryable,
      definitelyNotCreated: entry.definitelyNotCreated,
    });
  }
  const message = `${where}; body: ${preview(facts.body)}`;
  const byHttp = httpEntry(httpStatus ?? 200, msg);
  if (byHttp) {
    const { cls, ...rest } = byHttp;
    return new cls({ ...common, ...rest, message });
  }
  if (code) {
    return new MinimaxError({
      ...common,
      code: 'minimax_error',
      params: { code, msg },
      message,
      definitelyNotCreated: false,
    });
  }
  return malformedResponse({
    endpoint,
    traceId,
    httpStatus,
    detail: `unexpected answer; body: ${preview(facts.body)}`,
    retryable: facts.baseResp === undefined,
  });
}

/** A 2xx answer that is not JSON or lacks what the endpoint must return. */
export function malformedResponse(opts: {
  endpoint: MinimaxEndpoint;
  traceId?: string;
  httpStatus?: number;
  detail: string;
  /** Gateway pages are usually transient; a wrong shape usually is not. */
  retryable?: boolean;
}): MinimaxMalformedResponseError {
  return new MinimaxMalformedResponseError({
    code: 'minimax_malformed',
    message: `MiniMax ${opts.endpoint}: ${opts.detail}, trace ${opts.traceId ?? '-'}`,
    retryable: opts.retryable ?? true,
    httpStatus: opts.httpStatus,
    traceId: opts.traceId,
    endpoint: opts.endpoint,
    definitelyNotCreated: false,
  });
}

/** Request never got a complete answer. `beforeSend` = refused before the request left. */
export function minimaxTransportError(opts: {
  endpoint: MinimaxEndpoint;
  timedOut: boolean;
  beforeSend: boolean;
  cause: unknown;
}): MinimaxError {
  const detail = opts.cause instanceof Error ? opts.cause.message : String(opts.cause);
  const base = {
    endpoint: opts.endpoint,
    cause: opts.cause,
    retryable: true,
    definitelyNotCreated: opts.beforeSend,
  };
  if (opts.timedOut)
    return new MinimaxTimeoutError({
      ...base,
      code: 'minimax_timeout',
      message: `MiniMax ${opts.endpoint}: timed out (${detail})`,
    });
  return new MinimaxConnectionError({
    ...base,
    code: 'minimax_connection',
    message: `MiniMax ${opts.endpoint}: connection failed (${detail})`,
  });
}

/**
 * The request body was still uploading when its time ran out: MiniMax never had the whole
 * request, so no task exists. Not retried (the same body on the same link would be as slow).
 */
export function uploadTooSlow(
  endpoint: MinimaxEndpoint,
  bytes: number,
  timeoutMs: number,
  cause: unknown,
): MinimaxError {
  return new MinimaxTimeoutError({
    code: 'minimax_upload_too_slow',
    message: `MiniMax ${endpoint}: ${bytes}-byte body not fully sent within ${timeoutMs} ms`,
    endpoint,
    cause,
    retryable: false,
    definitelyNotCreated: true,
  });
}

/** The error for a task that ended `Fail`: its base_resp code when known, else a generic line. */
export function minimaxTaskFailedError(task: TaskInfo): MinimaxError {
  if (task.failureCode && MINIMAX_ERROR_CODES[task.failureCode])
    return minimaxErrorFrom({
      endpoint: 'query',
      httpStatus: 200,
      traceId: task.traceId,
      baseResp: { status_code: task.failureCode, status_msg: task.failureMessage ?? '' },
    });
  return new MinimaxError({
    code: 'minimax_task_failed',
    ...(task.failureMessage ? { params: { reason: task.failureMessage } } : {}),
    message: `MiniMax task ${task.taskId} ended ${task.rawStatus}${task.failureCode ? ` with code ${task.failureCode}` : ''}`,
    statusCode: task.failureCode,
    traceId: task.traceId,
    endpoint: 'query',
    definitelyNotCreated: false,
  });
}
