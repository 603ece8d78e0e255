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
import {
  DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND,
  errCode,
  hostOf,
  idString,
  MAX_CONNECTIONS,
  NOT_SENT_CODES,
  parseKeepingIds,
  positive,
  slices,
  TIMEOUT_CODES,
} from './http-helpers.js';
import { normaliseTaskStatus } from './task-status.js';
import {
  type ApiVersion,
  type CreateV2Body,
  type CreateVideoBody,
  type FileInfo,
  isV2Body,
  type ListedTask,
  type MinimaxClient,
  type TaskInfo,
} from './types.js';
import { baseRespOfV2, listedOfV2, taskInfoOfV2 } from './v2-wire.js';

export { DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND } from './http-helpers.js';

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
    body: CreateVideoBody | CreateV2Body,
    signal?: AbortSignal,
  ): Promise<{ taskId: string; traceId?: string }> {
    const v2 = isV2Body(body);
    const path = v2 ? '/v2/video_generation' : '/v1/video_generation';
    const { json, traceId } = await this.call('create', 'POST', path, body, signal, {
      api: v2 ? 'v2' : 'v1',
    });
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

  async queryTask(taskId: string, signal?: AbortSignal, api: ApiVersion = 'v1'): Promise<TaskInfo> {
    if (api === 'v2') return this.queryV2(taskId, signal);
    const path = `/v1/query/video_generation?task_id=${encodeURIComponent(taskId)}`;
    // A Fail task may carry its reason as a non-zero base_resp; only that case is not thrown.
    const { json, traceId, code } = await this.call('query', 'GET', path, undefined, signal, {
      tolerateCode: (j) => normaliseTaskStatus(j.status) === 'Fail',
    });
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

  private async queryV2(taskId: string, signal?: AbortSignal): Promise<TaskInfo> {
    const path = `/v2/query/video_generation/${encodeURIComponent(taskId)}`;
    const { json, traceId } = await this.call('query', 'GET', path, undefined, signal, {
      api: 'v2',
    });
    const info = taskInfoOfV2(json, taskId);
    if (traceId) info.traceId = traceId;
    if (info.status === 'Success' && !info.downloadUrl)
      throw malformedResponse({
        endpoint: 'query',
        traceId,
        detail: 'succeeded without content.url',
      });
    return info;
  }

  async listTasks(filter: { model?: string }, signal?: AbortSignal): Promise<ListedTask[]> {
    const query = new URLSearchParams({ page_num: '1', page_size: '50' });
    if (filter.model) query.set('filter.model', filter.model);
    const path = `/v2/query/video_generation?${query.toString()}`;
    const { json } = await this.call('list', 'GET', path, undefined, signal, { api: 'v2' });
    return listedOfV2(json);
  }

  /**
   * Uploads a reference clip (POST /v1/files/upload, multipart) and returns its file id, sent
   * as `mm_file://<id>`. The multipart body is built by the platform's own FormData encoder.
   */
  async uploadFile(
    file: { bytes: Buffer; name: string; mime: string },
    purpose: string,
    signal?: AbortSignal,
  ): Promise<{ fileId: string }> {
    const form = new FormData();
    form.set('purpose', purpose);
    form.set('file', new Blob([file.bytes], { type: file.mime }), file.name);
    const encoded = new Response(form);
    const raw = {
      bytes: Buffer.from(await encoded.arrayBuffer()),
      contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
    };
    const { json, traceId } = await this.call(
      'upload',
      'POST',
      '/v1/files/upload',
      undefined,
      signal,
      {
        raw,
      },
    );
    const fileId = idString((json.file as Json | undefined)?.file_id);
    if (!fileId)
      throw malformedResponse({ endpoint: 'upload', traceId, detail: 'upload without file_id' });
    return { fileId };
  }

  async cancelTask(taskId: string, signal?: AbortSignal): Promise<void> {
    const path = `/v2/video_generation/${encodeURIComponent(taskId)}`;
    await this.call('cancel', 'DELETE', path, undefined, signal, { api: 'v2' });
  }

  async regenerate(body: CreateV2Body, signal?: AbortSignal): Promise<{ taskId: string }> {
    const { json, traceId } = await this.call(
      'create',
      'POST',
      '/v2/video_regeneration',
      body,
      signal,
      {
        api: 'v2',
      },
    );
    const taskId = idString(json.task_id);
    if (!taskId)
      throw malformedResponse({
        endpoint: 'create',
        traceId,
        detail: 'regeneration without task_id',
      });
    return { taskId };
  }

  /**
   * The prompt enhancer answers with a task; the digest does not say whether its result comes
   * at once, so both are read: `task.content.prompt` in the answer, else the task is queried
   * (about once a second, at most 30 times) until it has one.
   */
  async enhancePrompt(model: string, prompt: string, signal?: AbortSignal): Promise<string> {
    const body = { model, content: [{ type: 'text', text: prompt }] };
    const { json, traceId } = await this.call(
      'enhance',
      'POST',
      '/v2/h3_context_ir',
      body,
      signal,
      {
        api: 'v2',
      },
    );
    const direct = enhancedOf(json);
    if (direct) return direct;
    const taskId = idString(json.task_id) ?? idString((json.task as Json | undefined)?.id);
    if (!taskId)
      throw malformedResponse({ endpoint: 'enhance', traceId, detail: 'no prompt, no task_id' });
    for (let i = 0; i < 30; i++) {
      await this.clock.sleep(1_000, signal);
      const path = `/v2/query/video_generation/${encodeURIComponent(taskId)}`;
      const answer = await this.call('enhance', 'GET', path, undefined, signal, { api: 'v2' });
      const text = enhancedOf(answer.json);
      if (text) return text;
      if (taskInfoOfV2(answer.json, taskId).status === 'Fail')
        throw malformedResponse({
          endpoint: 'enhance',
          traceId,
          detail: 'enhancer task failed',
          retryable: false,
        });
    }
    throw malformedResponse({
      endpoint: 'enhance',
      traceId,
      detail: 'enhancer gave no prompt in 30 s',
    });
  }

  private async call(
    endpoint: MinimaxEndpoint,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    how: {
      tolerateCode?: (json: Json) => boolean;
      api?: ApiVersion;
      /** A body that is not JSON (a multipart upload), sent as is. */
      raw?: { bytes: Buffer; contentType: string };
    } = {},
  ): Promise<{ json: Json; traceId?: string; code: number }> {
    const { tolerateCode, api = 'v1', raw } = how;
    const { logger } = this.options;
    const payload =
      raw?.bytes ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
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
                  'content-type': raw?.contentType ?? 'application/json',
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
      // V2 has no base_resp: a real HTTP status and an `error` object (research/minimax-h3.md §3).
      const baseResp = (api === 'v2' ? baseRespOfV2(json) : json?.base_resp) as
        | { status_code?: unknown }
        | undefined;
      const read = typeof baseResp?.status_code === 'number' ? baseResp.status_code : undefined;
      const code = read ?? (api === 'v2' && json && !json.error ? 0 : undefined);
      if (read !== undefined) report.code = read;
      logger.debug({ endpoint, httpStatus: statusCode, code, traceId }, 'minimax call');
      const isOk = statusCode >= 200 && statusCode < 300;
      if (!isOk || !json || code === undefined || (code !== 0 && !tolerateCode?.(json)))
        throw minimaxErrorFrom({
          httpStatus: statusCode,
          baseResp,
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

function enhancedOf(json: Json): string | undefined {
  const task = json.task as { content?: { prompt?: unknown } } | undefined;
  const prompt = task?.content?.prompt;
  return typeof prompt === 'string' && prompt.trim() ? prompt.trim() : undefined;
}
