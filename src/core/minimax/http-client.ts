import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { Agent, type Dispatcher, request } from 'undici';
import { type Clock, systemClock } from '../clock.js';
import {
  type MinimaxEndpoint,
  MinimaxError,
  malformedResponse,
  minimaxErrorFrom,
  minimaxTransportError,
  uploadTooSlow,
} from './errors.js';
import { normaliseTaskStatus } from './task-status.js';
import type { CreateVideoBody, FileInfo, MinimaxClient, TaskInfo } from './types.js';

/** What each MiniMax call reports to metrics. */
export interface MinimaxCallInfo {
  endpoint: MinimaxEndpoint;
  ms: number;
  httpStatus?: number;
  /** `base_resp.status_code`, when one was read. */
  code?: number;
  ok: boolean;
}

export interface MinimaxHttpClientOptions {
  /** e.g. `https://api.minimax.io`; a trailing `/` or `/v1` is tolerated. */
  baseUrl: string;
  apiKey: string;
  /** Per-request limit for headers, body and the whole call, in ms. */
  timeoutMs: number;
  /**
   * The slowest upload speed planned for, in bytes per second: a request body of N bytes gets
   * N / this on top of `timeoutMs`, so a create carrying images is not cut off while it uploads.
   * Default 500,000 (4 Mbit/s).
   */
  minUploadBytesPerSecond?: number;
  logger: Logger;
  dispatcher?: Dispatcher;
  onCall?: (info: MinimaxCallInfo) => void;
  /** Only measures call durations. Default: the system clock. */
  clock?: Clock;
}

/** Errors raised before any byte of the request left this machine. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

export const DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND = 500_000;
/** Slice size for request bodies, so the client knows how much of a body has left. */
const BODY_SLICE_BYTES = 64 * 1024;

/** Yields `bytes` in slices and records when the last one was handed to the socket. */
async function* slices(bytes: Buffer, progress: { complete: boolean }): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += BODY_SLICE_BYTES) {
    yield bytes.subarray(at, at + BODY_SLICE_BYTES);
  }
  progress.complete = true;
}

/** Sockets to MiniMax at once; more requests wait in undici's queue. */
const MAX_CONNECTIONS = 16;

/** Ids can exceed 2^53 (research §10.6): quote bare numeric ids before JSON.parse. */
function parseKeepingIds(text: string): unknown {
  return JSON.parse(text.replace(/"(file_id|task_id)"\s*:\s*(\d+)/g, '"$1":"$2"'));
}

function idString(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return String(v);
  return undefined;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && v > 0 ? v : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}

type Json = Record<string, unknown>;

/** `MinimaxClient` over undici; checks every answer (HTTP status, JSON, base_resp). */
export class MinimaxHttpClient implements MinimaxClient {
  private readonly root: string;
  private readonly clock: Clock;

  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: MinimaxHttpClientOptions) {
    // A base URL ending in /v1 plus paths starting /v1 gave /v1/v1 elsewhere (research §9).
    this.root = options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.clock = options.clock ?? systemClock;
    // Our own Agent: never the process-wide dispatcher (discord.js's undici may own it), and a
    // cap on sockets so a burst of 1,000 creates or polls does not open 1,000 connections.
    this.dispatcher =
      options.dispatcher ?? new Agent({ connections: MAX_CONNECTIONS, keepAliveTimeout: 10_000 });
  }

  async createTask(
    body: CreateVideoBody,
    signal?: AbortSignal,
  ): Promise<{ taskId: string; traceId?: string }> {
    const { json, traceId } = await this.call(
      'create',
      'POST',
      '/v1/video_generation',
      body,
      signal,
    );
    const taskId = idString(json.task_id);
    if (!taskId)
      throw malformedResponse({
        endpoint: 'create',
        traceId,
        detail: 'success without task_id',
        retryable: false,
      });
    return { taskId, ...(traceId ? { traceId } : {}) };
  }

  async queryTask(taskId: string, signal?: AbortSignal): Promise<TaskInfo> {
    const path = `/v1/query/video_generation?task_id=${encodeURIComponent(taskId)}`;
    // A Fail task may carry its reason as a non-zero base_resp; only that case is not thrown.
    const { json, traceId, code } = await this.call(
      'query',
      'GET',
      path,
      undefined,
      signal,
      (j) => normaliseTaskStatus(j.status) === 'Fail',
    );
    const rawStatus = typeof json.status === 'string' ? json.status : '';
    const status = normaliseTaskStatus(rawStatus);
    const info: TaskInfo = { taskId: idString(json.task_id) ?? taskId, status, rawStatus };
    const fileId = idString(json.file_id);
    if (fileId) info.fileId = fileId;
    const width = positive(json.video_width);
    const height = positive(json.video_height);
    if (width && height) Object.assign(info, { width, height });
    if (traceId) info.traceId = traceId;
    if (status === 'Fail') {
      const msg = (json.base_resp as { status_msg?: unknown }).status_msg;
      if (code) info.failureCode = code;
      if (typeof msg === 'string' && msg && msg !== 'success') info.failureMessage = msg;
    }
    if (status === 'Success' && !fileId)
      throw malformedResponse({ endpoint: 'query', traceId, detail: 'Success without file_id' });
    return info;
  }

  async retrieveFile(fileId: string, signal?: AbortSignal): Promise<FileInfo> {
    const path = `/v1/files/retrieve?file_id=${encodeURIComponent(fileId)}`;
    const { json, traceId } = await this.call('retrieve', 'GET', path, undefined, signal);
    const file = json.file as Json | undefined;
    const downloadUrl = file?.download_url;
    if (typeof downloadUrl !== 'string' || !/^https?:\/\//.test(downloadUrl))
      throw malformedResponse({
        endpoint: 'retrieve',
        traceId,
        detail: 'no download_url',
        retryable: false,
      });
    const info: FileInfo = { fileId: idString(file?.file_id) ?? fileId, downloadUrl };
    const backup = file?.backup_download_url;
    if (typeof backup === 'string' && /^https?:\/\//.test(backup)) info.backupDownloadUrl = backup;
    if (typeof file?.filename === 'string') info.filename = file.filename;
    if (typeof file?.created_at === 'number') info.createdAt = file.created_at;
    if (traceId) info.traceId = traceId;
    this.options.logger.debug(
      {
        endpoint: 'retrieve',
        traceId,
        downloadHost: hostOf(downloadUrl),
        hasBackup: Boolean(info.backupDownloadUrl),
      },
      'minimax file retrieved',
    );
    return info;
  }

  private async call(
    endpoint: MinimaxEndpoint,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    tolerateCode?: (json: Json) => boolean,
  ): Promise<{ json: Json; traceId?: string; code: number }> {
    const { logger } = this.options;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const perSecond = this.options.minUploadBytesPerSecond ?? DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND;
    const timeoutMs =
      this.options.timeoutMs + Math.ceil(((payload?.length ?? 0) * 1000) / perSecond);
    // Until the last byte of the body has left, MiniMax cannot have read the request, so no task.
    const upload = { complete: payload === undefined };
    const started = this.clock.now();
    const report: { httpStatus?: number; code?: number } = {};
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    let ok = false;
    try {
      let statusCode: number;
      let text: string;
      let traceId: string | undefined;
      try {
        const res = await request(`${this.root}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.options.apiKey}`,
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : {
                  'content-type': 'application/json',
                  'content-length': String(payload.length),
                }),
          },
          ...(payload === undefined
            ? {}
            : {
                body: Readable.from(slices(payload, upload), {
                  objectMode: false,
                  highWaterMark: 1,
                }),
              }),
          signal: combined,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          dispatcher: this.dispatcher,
        });
        statusCode = res.statusCode;
        report.httpStatus = statusCode;
        const trace = res.headers['trace-id'];
        traceId = Array.isArray(trace) ? trace[0] : trace;
        text = await res.body.text();
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        const code = errCode(err);
        if (!upload.complete && timeout.signal.aborted)
          throw uploadTooSlow(endpoint, payload?.length ?? 0, timeoutMs, err);
        throw minimaxTransportError({
          endpoint,
          timedOut: timeout.signal.aborted || TIMEOUT_CODES.has(code ?? ''),
          beforeSend: NOT_SENT_CODES.has(code ?? ''),
          cause: err,
        });
      }
      let json: Json | undefined;
      try {
        const parsed = parseKeepingIds(text);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Json;
      } catch {
        json = undefined;
      }
      const baseResp = json?.base_resp as { status_code?: unknown } | undefined;
      const code = typeof baseResp?.status_code === 'number' ? baseResp.status_code : undefined;
      if (code !== undefined) report.code = code;
      logger.debug({ endpoint, httpStatus: statusCode, code, traceId }, 'minimax call');
      const isOk = statusCode >= 200 && statusCode < 300;
      if (!isOk || !json || code === undefined || (code !== 0 && !tolerateCode?.(json)))
        throw minimaxErrorFrom({
          httpStatus: statusCode,
          baseResp: json?.base_resp,
          traceId,
          endpoint,
          body: text,
        });
      ok = true;
      return { json, code, ...(traceId ? { traceId } : {}) };
    } catch (err) {
      if (err instanceof MinimaxError)
        logger.debug({ endpoint, traceId: err.traceId, err: err.message }, 'minimax call failed');
      throw err;
    } finally {
      clearTimeout(timer);
      this.options.onCall?.({ endpoint, ms: this.clock.now() - started, ok, ...report });
    }
  }
}
