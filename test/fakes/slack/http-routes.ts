import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Recorder } from './recorder.js';
import type { FakeSlackState } from './state.js';
import { type FakeIdentity, handleApiMethod, parseApiBody, receiveUpload } from './web-api.js';

/** What the HTTP side of the fake needs from it. */
export interface FakeHttpContext {
  readonly id: FakeIdentity;
  readonly state: FakeSlackState;
  readonly recorder: Recorder;
}

/**
 * The fake's HTTP routes: `/api/<method>` (Web API, with queued faults), `/upload/v1/<file>`
 * (upload URLs), `/files-pri/...` (url_private, bot token required) and `/response/<n>`.
 */
export async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: FakeHttpContext,
): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.id.baseUrl);
  const raw = await readBody(req);
  const contentType = String(req.headers['content-type'] ?? '');
  const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const json = typeof body !== 'string';
    res.writeHead(status, {
      'content-type': json ? 'application/json' : 'text/plain',
      ...headers,
    });
    res.end(json ? JSON.stringify(body) : body);
  };
  const record = (method: string, args: Record<string, unknown>, status: number, reply?: unknown) =>
    ctx.recorder.add({ method, args, token, status, reply, at: Date.now() });

  if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
    const method = url.pathname.slice('/api/'.length);
    const args = await parseApiBody(raw, contentType);
    const fault = ctx.state.takeFault(method);
    if (fault) {
      const status = fault.status ?? 200;
      const body = {
        ok: false,
        error: fault.error ?? (status === 429 ? 'ratelimited' : 'fatal_error'),
      };
      const headers: Record<string, string> =
        fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {};
      record(method, args, status, body);
      return send(status, body, headers);
    }
    const reply = handleApiMethod(method, args, token, ctx.state, ctx.id);
    record(method, args, reply.status, reply.body);
    return send(reply.status, reply.body, reply.headers);
  }
  if (req.method === 'POST' && url.pathname.startsWith('/upload/v1/')) {
    const fileId = url.pathname.slice('/upload/v1/'.length);
    const fault = ctx.state.takeFault('upload');
    const args = { fileId, bytes: raw.length, contentType };
    if (fault) {
      record('upload', args, fault.status ?? 500);
      return send(fault.status ?? 500, 'upstream failure');
    }
    const out = await receiveUpload(fileId, raw, contentType, ctx.state);
    record('upload', args, out.status);
    return send(out.status, out.text);
  }
  if (req.method === 'GET' && url.pathname.startsWith('/files-pri/')) {
    const fileId = /T\w+-(F\w+)\//.exec(url.pathname)?.[1] ?? '';
    const file = ctx.state.files.get(fileId);
    const allowed = token === ctx.id.botToken;
    record('file_download', { fileId }, allowed && file ? 200 : 403);
    if (!allowed || !file) return send(403, 'forbidden');
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length });
    return void res.end(file.bytes);
  }
  if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
    record('response_url', await parseApiBody(raw, contentType), 200);
    return send(200, 'ok');
  }
  send(404, 'not found');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
