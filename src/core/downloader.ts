import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { BotError } from './errors.js';
import { isRetryable } from './retry-policy.js';

/** The download link no longer works (403/404/410): ask files/retrieve for a fresh one. */
export class DownloadExpiredError extends BotError {
  override name = 'DownloadExpiredError';
  readonly statusCode: number;
  constructor(statusCode: number) {
    super({
      code: 'download_expired',
      message: `download URL answered HTTP ${statusCode}`,
      retryable: true,
    });
    this.statusCode = statusCode;
  }
}

/** Any other download failure. Cut-off and garbled transfers are retryable; oversize is not. */
export class DownloadError extends BotError {
  override name = 'DownloadError';
  constructor(
    code: 'download_failed' | 'download_incomplete' | 'download_not_mp4' | 'download_too_large',
    message: string,
    cause?: unknown,
  ) {
    super({
      code,
      textKey: code === 'download_too_large' ? 'download_too_large' : 'download_failed',
      message,
      retryable: code !== 'download_too_large',
      cause,
    });
  }
}

export interface DownloadOptions {
  /** MiniMax `download_url`. Never logged: it grants access to the file. */
  url: string;
  /** `backup_download_url`, tried when the primary fails. */
  backupUrl?: string;
  /** Final path; written atomically (temp file in the same directory, then rename). */
  destPath: string;
  /** Refuse bodies larger than this many bytes. Default: no limit. */
  maxBytes?: number;
  /** Overall deadline for one attempt, in ms. */
  timeoutMs: number;
  /** Longest silence between two chunks, in ms. Default 30 s (or timeoutMs if shorter). */
  idleTimeoutMs?: number;
  dispatcher?: Dispatcher;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Streams a generated MP4 to disk with flat memory, checking that it starts with an ISO-BMFF
 * `ftyp` box and that the byte count matches `content-length`, so a cut-off transfer never
 * becomes a "finished" video (SPEC §1.2 step 4).
 */
export async function downloadVideo(opts: DownloadOptions): Promise<{ bytes: number }> {
  const urls = [opts.url, ...(opts.backupUrl ? [opts.backupUrl] : [])];
  const errors: unknown[] = [];
  for (const [i, url] of urls.entries()) {
    const which = i === 0 ? 'primary' : 'backup';
    try {
      return await downloadOnce(url, opts);
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      // Oversize is the one failure the backup link cannot fix.
      if (!isRetryable(err)) throw err;
      errors.push(err);
      opts.logger.warn({ err, which, attemptsLeft: urls.length - i - 1 }, 'video download failed');
    }
  }
  // A fresh URL from files/retrieve fixes expiry, so let that signal win over other failures.
  throw errors.find((e) => e instanceof DownloadExpiredError) ?? errors[0];
}

/**
 * Never the process-wide dispatcher: discord.js brings its own undici and, when it loads first,
 * its global Agent speaks another handler API (every request then fails).
 */
async function downloadOnce(url: string, opts: DownloadOptions): Promise<{ bytes: number }> {
  if (opts.dispatcher) return downloadWith(url, opts, opts.dispatcher);
  const agent = new Agent();
  try {
    return await downloadWith(url, opts, agent);
  } finally {
    await agent.close().catch(() => undefined);
  }
}

async function downloadWith(
  url: string,
  opts: DownloadOptions,
  base: Dispatcher,
): Promise<{ bytes: number }> {
  const dir = dirname(opts.destPath);
  await mkdir(dir, { recursive: true });
  const tmpPath = join(dir, `.${basename(opts.destPath)}.${randomUUID()}.part`);
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const idleMs = Math.min(opts.idleTimeoutMs ?? 30_000, opts.timeoutMs);
  const dispatcher = base.compose(interceptors.redirect({ maxRedirections: 5 }));

  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method: 'GET',
      dispatcher,
      signal,
      headersTimeout: idleMs,
      bodyTimeout: idleMs,
    });
  } catch (err) {
    throw new DownloadError('download_failed', `download request failed: ${describe(err)}`, err);
  }

  if (res.statusCode === 403 || res.statusCode === 404 || res.statusCode === 410) {
    await res.body.dump().catch(() => undefined);
    throw new DownloadExpiredError(res.statusCode);
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    await res.body.dump().catch(() => undefined);
    throw new DownloadError('download_failed', `download answered HTTP ${res.statusCode}`);
  }

  const expectedBytes = contentLength(res.headers['content-length']);
  if (opts.maxBytes !== undefined && expectedBytes !== undefined && expectedBytes > opts.maxBytes) {
    await res.body.dump().catch(() => undefined);
    throw new DownloadError('download_too_large', `video is ${expectedBytes} bytes`);
  }

  const check = new Mp4Check(expectedBytes, opts.maxBytes);
  try {
    // flush: the bytes are on disk before the rename makes the file visible.
    await pipeline(res.body, check, createWriteStream(tmpPath, { flush: true }), { signal });
    await rename(tmpPath, opts.destPath);
    return { bytes: check.bytes };
  } catch (err) {
    await rm(tmpPath, { force: true });
    if (err instanceof DownloadError) throw err;
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    throw new DownloadError(
      'download_incomplete',
      `download stopped after ${check.bytes} of ${expectedBytes ?? 'unknown'} bytes: ${describe(err)}`,
      err,
    );
  }
}

const FTYP = Buffer.from('ftyp', 'latin1');

/** Counts bytes and checks the first box while they stream past; holds at most 8 bytes. */
class Mp4Check extends Transform {
  bytes = 0;
  private head = Buffer.alloc(0);
  private headChecked = false;

  constructor(
    private readonly expectedBytes: number | undefined,
    private readonly maxBytes: number | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    const err = this.checkChunk(chunk);
    if (err) done(err);
    else done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (!this.headChecked) done(notMp4());
    else if (this.expectedBytes !== undefined && this.bytes !== this.expectedBytes) {
      const msg = `got ${this.bytes} bytes, content-length said ${this.expectedBytes}`;
      done(new DownloadError('download_incomplete', msg));
    } else done();
  }

  private checkChunk(chunk: Buffer): DownloadError | undefined {
    if (this.maxBytes !== undefined && this.bytes > this.maxBytes) {
      return new DownloadError('download_too_large', `video exceeds ${this.maxBytes} bytes`);
    }
    if (this.headChecked) return undefined;
    this.head = Buffer.concat([this.head, chunk.subarray(0, 8 - this.head.length)]);
    if (this.head.length < 8) return undefined;
    this.headChecked = true;
    // ISO-BMFF: 4-byte box size, then the type of the first box, which must be `ftyp`.
    return this.head.subarray(4, 8).equals(FTYP) ? undefined : notMp4();
  }
}

const notMp4 = () =>
  new DownloadError('download_not_mp4', 'downloaded file does not start with an ftyp box');

function contentLength(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));
