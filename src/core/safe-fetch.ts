import { Agent, type Dispatcher, request } from 'undici';
import type { MessageParams } from '../messages/index.js';
import { BotError, InputError } from './errors.js';

/** Options of `fetchAttachment`. */
export interface FetchAttachmentOptions {
  /**
   * Host names whose files may be fetched (a subdomain of an entry also matches). Each adapter
   * passes its platform's file hosts and API host, so the core names no platform.
   */
  allowedHosts: readonly string[];
  /** The platform's name as users know it, for the refusal of a file hosted elsewhere. */
  platformName: string;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Limit for the whole download, redirects included. */
  timeoutMs: number;
  /** Sent to the first host only (e.g. a bearer token); dropped when a redirect changes host. */
  headers?: Record<string, string>;
  dispatcher?: Dispatcher;
  /** Default 3. */
  maxRedirects?: number;
  signal?: AbortSignal;
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
const isIp = (host: string) => /^[\d.]+$/.test(host) || host.startsWith('[');

/** SPEC §2's attachment hosts for one platform: its file hosts plus the host of its API URL. */
export function allowedHostsFor(fileHosts: readonly string[], apiUrl: string): string[] {
  return [...new Set([...fileHosts, new URL(apiUrl).hostname])];
}

/** Exact host or a subdomain of a named (non-IP) entry. */
export function isHostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    return host === allowed || (!isIp(allowed) && host.endsWith(`.${allowed}`));
  });
}

/** `code` for programs; `textKey` picks the sentence (src/messages/catalog-engine.ts). */
function refuse(code: string, textKey: string, params?: MessageParams): InputError {
  return new InputError({ code, textKey, ...(params ? { params } : {}) });
}

function checkUrl(raw: string | URL, allowedHosts: readonly string[], platformName: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('attachment_url', 'attachment_bad_url');
  }
  const local = LOCAL_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw refuse('attachment_url', 'attachment_not_https');
  }
  if (!isHostAllowed(url.hostname, allowedHosts)) {
    throw new InputError({ code: 'attachment_host', params: { platform: platformName } });
  }
  return url;
}

function tooLarge(maxBytes: number): InputError {
  return refuse('attachment_too_large', 'attachment_too_large', { maxBytes });
}

function header(headers: Record<string, string | string[] | undefined>, name: string) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

class Timeout extends Error {}

/** Closes a body we will not read; undici reports the destroy as an error we do not care about. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

/**
 * Downloads a chat attachment into memory with every hop's host checked against `allowedHosts`
 * (redirects are followed by hand so a CDN cannot bounce us to an internal address), a byte cap
 * enforced while streaming, and one deadline for the whole download. Failures are InputErrors
 * whose userMessage is one plain sentence; URLs are never put in messages (they carry signatures).
 */
export async function fetchAttachment(
  url: string,
  options: FetchAttachmentOptions,
): Promise<Buffer> {
  const { allowedHosts, maxBytes, maxRedirects = 3 } = options;
  let current = checkUrl(url, allowedHosts, options.platformName);
  const firstHost = current.host;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Timeout()), options.timeoutMs);
  timer.unref();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  // Our own undici Agent, never the process-wide one: discord.js's undici may have claimed it.
  const owned = options.dispatcher ? undefined : new Agent();
  const dispatcher = options.dispatcher ?? owned!;
  try {
    for (let hop = 0; ; hop++) {
      const res = await request(current, {
        method: 'GET',
        headers: current.host === firstHost ? (options.headers ?? {}) : {},
        signal: controller.signal,
        dispatcher,
      });
      const location = header(res.headers, 'location');
      if (res.statusCode >= 300 && res.statusCode < 400 && location) {
        discard(res.body);
        if (hop >= maxRedirects) {
          throw refuse('attachment_redirects', 'attachment_redirects');
        }
        current = checkUrl(new URL(location, current), allowedHosts, options.platformName);
        continue;
      }
      if (res.statusCode !== 200) {
        discard(res.body);
        const denied = res.statusCode === 401 || res.statusCode === 403;
        throw refuse('attachment_http', 'attachment_http', {
          status: res.statusCode,
          denied: denied ? 1 : 0,
        });
      }
      // Slack answers a token without files:read with a 200 login page instead of the file.
      if (/text\/html/i.test(header(res.headers, 'content-type') ?? '')) {
        discard(res.body);
        throw refuse('attachment_http', 'attachment_web_page');
      }
      const declared = Number(header(res.headers, 'content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) {
        discard(res.body);
        throw tooLarge(maxBytes);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) {
          discard(res.body);
          throw tooLarge(maxBytes);
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks, total);
    }
  } catch (err) {
    if (err instanceof BotError) throw err;
    if (controller.signal.reason instanceof Timeout) {
      throw refuse('attachment_timeout', 'attachment_timeout');
    }
    if (options.signal?.aborted) throw options.signal.reason;
    throw new BotError({
      code: 'attachment_unreachable',
      message: `attachment download failed: ${err instanceof Error ? err.message : String(err)}`,
      retryable: true,
      cause: err,
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    owned?.close().catch(() => undefined);
  }
}
