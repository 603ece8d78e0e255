import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, DownloadExpiredError, downloadVideo } from '../../src/core/downloader.js';

const logger = pino({ level: 'silent' });
const sample = await readFile(new URL('../../assets/sample.mp4', import.meta.url));

const BIG_CHUNK = 64 * 1024;
const BIG_CHUNKS = 800; // 50 MiB
/** Deterministic 50 MiB body: an ftyp box, then chunks that differ by index. */
function* bigBody(): Generator<Buffer> {
  for (let i = 0; i < BIG_CHUNKS; i++) {
    const chunk = Buffer.alloc(BIG_CHUNK, i % 251);
    if (i === 0) sample.copy(chunk, 0, 0, 32);
    else chunk.writeUInt32BE(i, 0);
    yield chunk;
  }
}

let server: Server;
let base: string;
const hits: string[] = [];

function send(res: ServerResponse, status: number, body: Buffer | string, length?: number) {
  res.writeHead(status, { 'content-length': String(length ?? Buffer.byteLength(body)) });
  res.end(body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    switch (req.url) {
      case '/ok.mp4':
        return send(res, 200, sample);
      case '/chunked.mp4':
        res.writeHead(200);
        res.write(sample.subarray(0, 100));
        return res.end(sample.subarray(100));
      case '/redirect':
        res.writeHead(302, { location: '/ok.mp4' });
        return res.end();
      case '/truncated.mp4':
        res.writeHead(200, { 'content-length': String(sample.length * 2) });
        // Flush half of the promised body, then drop the connection like a dying CDN.
        return res.write(sample, () => setTimeout(() => res.socket?.destroy(), 10));
      case '/page.html':
        return send(res, 200, '<html><body>Access denied</body></html>');
      case '/tiny':
        return send(res, 200, 'ftyp');
      case '/expired':
        return send(res, 403, '<Error><Code>AccessDenied</Code></Error>');
      case '/gone':
        return send(res, 410, 'gone');
      case '/broken':
        return send(res, 502, 'bad gateway');
      case '/big.mp4':
        res.writeHead(200, { 'content-length': String(BIG_CHUNK * BIG_CHUNKS) });
        return Readable.from(bigBody()).pipe(res);
      default:
        return send(res, 404, 'not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('downloadVideo', () => {
  let dir: string;
  let dest: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mvb-dl-'));
    dest = join(dir, 'videos', 'job.mp4');
    hits.length = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const download = (path: string, extra: { backup?: string; maxBytes?: number } = {}) =>
    downloadVideo({
      url: base + path,
      backupUrl: extra.backup === undefined ? undefined : base + extra.backup,
      destPath: dest,
      maxBytes: extra.maxBytes,
      timeoutMs: 10_000,
      logger,
    });

  const leftovers = async () => (existsSync(dirname(dest)) ? readdir(dirname(dest)) : []);

  it('saves a complete MP4 at the destination and reports its size', async () => {
    await expect(download('/ok.mp4')).resolves.toEqual({ bytes: sample.length });
    expect((await readFile(dest)).equals(sample)).toBe(true);
    expect(await leftovers()).toEqual(['job.mp4']);
  });

  it('accepts an MP4 sent without content-length', async () => {
    await expect(download('/chunked.mp4')).resolves.toEqual({ bytes: sample.length });
  });

  it('follows a redirect to the file', async () => {
    await expect(download('/redirect')).resolves.toEqual({ bytes: sample.length });
  });

  it('treats a transfer cut short of content-length as a retryable failure and leaves no file', async () => {
    const err = await download('/truncated.mp4').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toMatchObject({ code: 'download_incomplete', retryable: true });
    expect(await leftovers()).toEqual([]);
  });

  it('rejects a body that is not an MP4', async () => {
    await expect(download('/page.html')).rejects.toMatchObject({ code: 'download_not_mp4' });
    expect(existsSync(dest)).toBe(false);
  });

  it('rejects a body too short to hold an ftyp box', async () => {
    await expect(download('/tiny')).rejects.toMatchObject({ code: 'download_not_mp4' });
  });

  it('reports an expired link on 403 so the caller can fetch a fresh one', async () => {
    const err = await download('/expired').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadExpiredError);
    expect(err).toMatchObject({ statusCode: 403, retryable: true });
  });

  it('reports an expired link on 410 and 404', async () => {
    await expect(download('/gone')).rejects.toBeInstanceOf(DownloadExpiredError);
    await expect(download('/missing')).rejects.toBeInstanceOf(DownloadExpiredError);
  });

  it('reports a server error as a retryable download failure', async () => {
    await expect(download('/broken')).rejects.toMatchObject({
      code: 'download_failed',
      retryable: true,
    });
  });

  it('falls back to the backup URL when the primary fails', async () => {
    await expect(download('/expired', { backup: '/ok.mp4' })).resolves.toEqual({
      bytes: sample.length,
    });
    expect(hits).toEqual(['/expired', '/ok.mp4']);
    expect((await readFile(dest)).equals(sample)).toBe(true);
  });

  it('reports expiry when the backup fails for another reason', async () => {
    await expect(download('/expired', { backup: '/broken' })).rejects.toBeInstanceOf(
      DownloadExpiredError,
    );
  });

  it('refuses a video over the size limit without retrying', async () => {
    const err = await download('/ok.mp4', { maxBytes: 1000, backup: '/ok.mp4' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'download_too_large', retryable: false });
    expect(hits).toEqual(['/ok.mp4']);
  });

  it('refuses a video over the size limit even without content-length', async () => {
    await expect(download('/chunked.mp4', { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'download_too_large',
    });
    expect(await leftovers()).toEqual([]);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(
      downloadVideo({
        url: `${base}/ok.mp4`,
        destPath: dest,
        timeoutMs: 10_000,
        logger,
        signal: controller.signal,
      }),
    ).rejects.toThrow('shutting down');
  });

  it('streams a 50 MB video to disk byte for byte', async () => {
    const expected = createHash('sha256');
    for (const chunk of bigBody()) expected.update(chunk);
    await expect(download('/big.mp4')).resolves.toEqual({ bytes: BIG_CHUNK * BIG_CHUNKS });
    expect((await stat(dest)).size).toBe(BIG_CHUNK * BIG_CHUNKS);
    const actual = createHash('sha256').update(await readFile(dest));
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
  });
});
