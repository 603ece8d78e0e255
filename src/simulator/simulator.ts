import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackNotifier } from './callbacks.js';
import { FaultQueue } from './fault-queue.js';
import { SimFileUploads } from './file-uploads.js';
import {
  baseRespReply,
  customReply,
  expiredUrlReply,
  htmlReply,
  type Reply,
  send,
} from './replies.js';
import { SimApi } from './sim-api.js';
import { timelineFrom } from './sim-task.js';
import type { Fault, RecordedRequest, SimRoute, Simulator, SimulatorOptions } from './sim-types.js';
import { SimV2Api, v2Error } from './v2-api.js';
import {
  defaultSoundVideoPath,
  defaultVideoPath,
  MIN_SYNTHETIC_BYTES,
  serveVideo,
  type VideoSource,
} from './video-source.js';

/**
 * MiniMax documents no body limit (research §2.1, open point). 30 MB holds one image at the
 * documented 20 MB limit as base64 (~27 MB) and refuses bigger bodies with 413, as gateways do.
 */
export const DEFAULT_MAX_BODY_BYTES = 30_000_000;

class BodyTooLarge extends Error {}

interface Routed {
  route: SimRoute | 'unknown';
  api: 'v1' | 'v2';
  taskId?: string;
}

function routeOf(method: string, path: string): Routed {
  const v1 = (route: SimRoute | 'unknown'): Routed => ({ route, api: 'v1' });
  if (method === 'POST' && path === '/v1/video_generation') return v1('create');
  if (method === 'GET' && path === '/v1/query/video_generation') return v1('query');
  if (method === 'GET' && path === '/v1/files/retrieve') return v1('retrieve');
  if (method === 'POST' && path === '/v1/files/upload') return v1('upload');
  if ((method === 'GET' || method === 'HEAD') && /^\/cdn(-backup)?\//.test(path))
    return { route: 'download', api: path.startsWith('/cdn/v2/') ? 'v2' : 'v1' };
  if (method === 'POST' && path === '/v2/video_generation') return { route: 'create', api: 'v2' };
  if (method === 'POST' && path === '/v2/video_regeneration')
    return { route: 'regenerate', api: 'v2' };
  if (method === 'POST' && path === '/v2/h3_context_ir') return { route: 'enhance', api: 'v2' };
  if (method === 'GET' && path === '/v2/query/video_generation')
    return { route: 'list', api: 'v2' };
  const id = /^\/v2\/(query\/)?video_generation\/([^/]+)$/.exec(path);
  if (id && method === 'GET' && id[1]) return { route: 'query', api: 'v2', taskId: id[2]! };
  if (id && method === 'DELETE' && !id[1]) return { route: 'cancel', api: 'v2', taskId: id[2]! };
  return v1('unknown');
}

/**
 * Reads a request body up to `maxBytes`. With `bytesPerSecond`, reading is paced (real time) so
 * the client's upload takes as long as it would over a link of that speed: TCP backpressure
 * holds the sender back.
 */
async function readBody(
  req: IncomingMessage,
  limits: { maxBytes: number; bytesPerSecond?: number; sleep: (ms: number) => Promise<void> },
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  const started = Date.now();
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limits.maxBytes) throw new BodyTooLarge('body too large');
    chunks.push(chunk);
    if (limits.bytesPerSecond) {
      const dueMs = (size * 1000) / limits.bytesPerSecond - (Date.now() - started);
      if (dueMs > 0) await limits.sleep(dueMs);
    }
  }
  return size === 0 ? undefined : Buffer.concat(chunks);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Starts a faithful local MiniMax V1 video API (SPEC §1.6) on 127.0.0.1. */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const apiKey = options.apiKey ?? 'sim-key';
  const now = options.now ?? (() => Date.now());
  const log = options.logger ?? (() => {});
  const timeline = timelineFrom(options.timelineMs);
  const video: VideoSource =
    options.videoBytes !== undefined
      ? { kind: 'synthetic', bytes: Math.max(MIN_SYNTHETIC_BYTES, Math.floor(options.videoBytes)) }
      : { kind: 'file', path: options.videoPath ?? defaultVideoPath() };
  const requests: RecordedRequest[] = [];
  const faults = new FaultQueue();
  const timers = new Set<NodeJS.Timeout>();
  const callbacks = new CallbackNotifier({ log, now });
  let baseUrl = '';
  const api = new SimApi({
    baseUrl: () => baseUrl,
    timeline,
    rpm: options.rpm,
    downloadUrlTtlMs: options.downloadUrlTtlMs ?? 3_600_000,
    failSpelling: options.failSpelling ?? 'Fail',
    backupDownloadUrl: options.backupDownloadUrl ?? false,
    fileIdDigits: options.fileIdDigits ?? 15,
    now,
    callbacks,
  });

  const uploads = new SimFileUploads(now);
  const v2 = new SimV2Api({
    uploadedKind: (fileId) => uploads.kindOf(fileId),
    baseUrl: () => baseUrl,
    timeline,
    now,
    callbacks,
    downloadUrlTtlMs: options.downloadUrlTtlMs ?? 3_600_000,
    ...(options.billedSeconds !== undefined ? { billedSeconds: options.billedSeconds } : {}),
    createAllowed: () => api.createAllowed(),
    countCreate: () => api.countCreate(),
    nextTaskId: () => api.nextTaskId(),
    register: (task) => api.register(task),
  });
  const soundVideo: VideoSource = {
    kind: 'file',
    path: options.soundVideoPath ?? defaultSoundVideoPath(),
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  /** Replies a fault dictates, or undefined when the fault only modifies the normal answer. */
  function faultReply(fault: Fault, route: SimRoute): Reply | 'drop' | undefined {
    switch (fault.kind) {
      case 'http':
        return customReply(fault.status, fault.body);
      case 'base_resp':
        return baseRespReply(fault.code, fault.msg, route === 'create' ? { task_id: '' } : {});
      case 'non_json':
        return htmlReply(200, 'OK');
      case 'drop':
        return 'drop';
      default:
        return undefined;
    }
  }

  function isAuthorized(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bearer ${apiKey}`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const traceId = randomBytes(16).toString('hex');
    res.setHeader('Trace-Id', traceId);
    const parsed = new URL(req.url ?? '/', 'http://sim.local');
    const method = req.method ?? 'GET';
    const routed = routeOf(method, parsed.pathname);
    const { route } = routed;
    const query = Object.fromEntries(parsed.searchParams);
    let raw: Buffer | undefined;
    try {
      raw = await readBody(req, {
        maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        ...(options.uploadBytesPerSecond ? { bytesPerSecond: options.uploadBytesPerSecond } : {}),
        sleep,
      });
    } catch (err) {
      // A client that gave up mid-upload sent no complete request: nothing is recorded or made.
      if (!(err instanceof BodyTooLarge)) return void log(`${method} ${parsed.pathname} aborted`);
      log(`${method} ${parsed.pathname} 413 body too large`);
      send(res, htmlReply(413, 'Request Entity Too Large'));
      req.resume();
      return;
    }
    // An upload is recorded by what it names, not its bytes.
    const body =
      route === 'upload'
        ? { contentType: req.headers['content-type'], bytes: raw?.length ?? 0 }
        : parseJson(raw?.toString('utf8'));
    requests.push({
      method,
      path: parsed.pathname,
      query,
      headers: { ...req.headers },
      body,
      at: now(),
      route,
      api: routed.api,
      ...(routed.taskId ? { taskId: routed.taskId } : {}),
    });

    const finish = (reply: Reply | 'drop', truncate = false) => {
      if (reply === 'drop') {
        log(`${method} ${parsed.pathname} dropped trace=${traceId}`);
        req.socket.destroy();
        return;
      }
      log(
        `${method} ${parsed.pathname} ${reply.status} code=${reply.code ?? '-'} trace=${traceId}`,
      );
      send(res, reply, truncate);
    };

    if (route === 'unknown') return finish(htmlReply(404, 'Not Found'));
    let fault = faults.take(route);
    if (fault?.kind === 'delay') {
      await sleep(fault.ms);
      fault = undefined;
    }
    const replaced = fault && faultReply(fault, route);
    if (replaced) return finish(replaced);

    if (route === 'download') {
      if (fault?.kind === 'expired_url') return finish(expiredUrlReply());
      const check =
        v2.checkDownload(parsed.pathname, query) ?? api.checkDownload(parsed.pathname, query);
      if (check === 'expired') return finish(expiredUrlReply());
      if (check === 'forbidden')
        return finish({ ...expiredUrlReply(), body: '<Error><Code>AccessDenied</Code></Error>' });
      if (check === 'missing') return finish(htmlReply(404, 'Not Found'));
      log(`${method} ${parsed.pathname} 200 video trace=${traceId}`);
      if (method === 'HEAD') return void res.writeHead(200, { 'Content-Type': 'video/mp4' }).end();
      const source = routed.api === 'v2' && video.kind === 'file' ? soundVideo : video;
      await serveVideo(res, source, fault?.kind === 'truncate').catch((err: Error) =>
        log(`download aborted: ${err.message}`),
      );
      return;
    }

    const result = !isAuthorized(req)
      ? {
          reply:
            routed.api === 'v2'
              ? v2Error(401, 'authorized_error', 'login fail: invalid api key', 1004)
              : baseRespReply(1004, undefined, route === 'create' ? { task_id: '' } : {}),
        }
      : routed.api === 'v2'
        ? v2Reply(routed, body, query)
        : route === 'upload'
          ? { reply: await uploads.upload(raw, req.headers['content-type']) }
          : apiReplyAuthorized(route, body, query, fault?.kind === 'expired_url');
    if ('task' in result && result.task) {
      const after = faults.take('create', true);
      if (after?.kind === 'delay') await sleep(after.ms);
      else if (after) {
        const lost = faultReply(after, route);
        if (lost) return finish(lost);
        if (after.kind === 'truncate') return finish(result.reply, true);
      }
    }
    finish(result.reply, fault?.kind === 'truncate');
  }

  function v2Reply(
    routed: Routed,
    body: unknown,
    query: Record<string, string>,
  ): { reply: Reply; task?: unknown } {
    switch (routed.route) {
      case 'create':
        return v2.create(body);
      case 'regenerate':
        return v2.create(body, true);
      case 'query':
        return { reply: v2.query(routed.taskId!) };
      case 'list':
        return { reply: v2.list(query) };
      case 'cancel':
        return { reply: v2.cancel(routed.taskId!) };
      default:
        return { reply: v2.enhance(body) };
    }
  }

  function apiReplyAuthorized(
    route: SimRoute,
    body: unknown,
    query: Record<string, string>,
    expired: boolean,
  ): { reply: Reply; task?: unknown } {
    if (route === 'create') return api.create(body);
    if (route === 'query') return { reply: api.query(query.task_id) };
    return { reply: api.retrieve(query.file_id, expired) };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      log(`simulator error: ${err.message}`);
      if (!res.headersSent) send(res, htmlReply(500, 'Internal Server Error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  baseUrl = `http://${host}:${addr.port}`;

  return {
    url: baseUrl,
    apiKey,
    requests,
    creates: () => requests.filter((r) => r.route === 'create'),
    queries: (taskId) =>
      requests.filter(
        (r) =>
          r.route === 'query' && (taskId === undefined || (r.taskId ?? r.query.task_id) === taskId),
      ),
    uploads: () => [...uploads.files.values()],
    cancelledTasks: () => [...api.tasks.values()].filter((t) => t.cancelled).map((t) => t.taskId),
    tasks: api.tasks,
    inject: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    finish: (taskId, outcome) => api.finish(taskId, outcome),
    stop: async () => {
      callbacks.stop();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
