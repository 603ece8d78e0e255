import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { BotError } from '../../src/core/errors.js';
import { allowedHostsFor, fetchAttachment, isHostAllowed } from '../../src/core/safe-fetch.js';

const body = Buffer.alloc(4096, 7);
let server: Server;
let port: number;
const seenAuth: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/ok') {
      seenAuth.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length });
      res.end(body);
    } else if (path === '/to-ok') {
      res.writeHead(302, { location: '/ok' }).end();
    } else if (path === '/to-other-host') {
      res.writeHead(302, { location: `http://localhost:${port}/ok` }).end();
    } else if (path === '/loop') {
      res.writeHead(302, { location: '/loop' }).end();
    } else if (path === '/declared-big') {
      res.writeHead(200, { 'content-length': 50 * 1024 * 1024 });
      res.write(Buffer.alloc(10));
    } else if (path === '/streamed-big') {
      res.writeHead(200, { 'content-type': 'image/png' });
      const push = () => {
        if (res.destroyed) return;
        res.write(Buffer.alloc(1024), push);
      };
      push();
    } else if (path === '/stall') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.alloc(10));
    } else if (path === '/login-page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html></html>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const base = () => `http://127.0.0.1:${port}`;
const options = {
  allowedHosts: ['127.0.0.1'],
  platformName: 'Chat',
  maxBytes: 64 * 1024,
  timeoutMs: 2_000,
};

async function failure(promise: Promise<unknown>): Promise<BotError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BotError);
  const message = (err as BotError).userMessage;
  expect(message).not.toContain('\n');
  expect(message).not.toContain(String(port));
  expect(message.endsWith('.')).toBe(true);
  return err as BotError;
}

describe('fetchAttachment', () => {
  it('downloads a file from an allowed host', async () => {
    const bytes = await fetchAttachment(`${base()}/ok`, options);
    expect(bytes.equals(body)).toBe(true);
  });

  it('follows a redirect that stays on an allowed host', async () => {
    const bytes = await fetchAttachment(`${base()}/to-ok`, options);
    expect(bytes.length).toBe(body.length);
  });

  it('rejects a redirect to a host that is not allowed', async () => {
    const err = await failure(fetchAttachment(`${base()}/to-other-host`, options));
    expect(err.code).toBe('attachment_host');
  });

  it('drops the caller headers when a redirect changes host', async () => {
    seenAuth.length = 0;
    await fetchAttachment(`${base()}/to-other-host`, {
      ...options,
      allowedHosts: ['127.0.0.1', 'localhost'],
      headers: { authorization: 'Bearer xoxb-secret' },
    });
    expect(seenAuth).toEqual([undefined]);
  });

  it('sends the caller headers to the first host', async () => {
    seenAuth.length = 0;
    await fetchAttachment(`${base()}/ok`, { ...options, headers: { authorization: 'Bearer x' } });
    expect(seenAuth).toEqual(['Bearer x']);
  });

  it('rejects a URL on a host that is not allowed without contacting it', async () => {
    const err = await failure(fetchAttachment('https://evil.example/cat.png', options));
    expect(err.code).toBe('attachment_host');
  });

  it('rejects plain HTTP to anything but the local machine', async () => {
    const err = await failure(
      fetchAttachment('http://cdn.discordapp.com/a.png', {
        ...options,
        allowedHosts: ['cdn.discordapp.com'],
      }),
    );
    expect(err.code).toBe('attachment_url');
  });

  it('gives up after too many redirects', async () => {
    const err = await failure(fetchAttachment(`${base()}/loop`, options));
    expect(err.code).toBe('attachment_redirects');
  });

  it('rejects a body whose declared length is over the cap', async () => {
    const err = await failure(
      fetchAttachment(`${base()}/declared-big`, { ...options, maxBytes: 20 * 1024 * 1024 }),
    );
    expect(err.userMessage).toBe('That attachment is larger than 20 MB; attach a smaller image.');
  });

  it('stops streaming once the cap is exceeded', async () => {
    const err = await failure(fetchAttachment(`${base()}/streamed-big`, options));
    expect(err.code).toBe('attachment_too_large');
  });

  it('times out a download that stalls', async () => {
    const err = await failure(fetchAttachment(`${base()}/stall`, { ...options, timeoutMs: 100 }));
    expect(err.code).toBe('attachment_timeout');
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = fetchAttachment(`${base()}/stall`, { ...options, signal: controller.signal });
    controller.abort(new Error('user cancelled'));
    await expect(pending).rejects.toThrow('user cancelled');
  });

  it('reports an HTTP error status', async () => {
    const err = await failure(fetchAttachment(`${base()}/missing`, options));
    expect(err.userMessage).toContain('HTTP 404');
  });

  it('refuses a web page served instead of the file', async () => {
    const err = await failure(fetchAttachment(`${base()}/login-page`, options));
    expect(err.userMessage).toContain('web page');
  });
});

describe('allowedHostsFor', () => {
  it('allows the file hosts an adapter names and the host of its API URL', () => {
    expect(allowedHostsFor(['files.example.test'], 'http://127.0.0.1:9999/api')).toEqual([
      'files.example.test',
      '127.0.0.1',
    ]);
    expect(allowedHostsFor(['slack.com'], 'https://slack.com/api/')).toEqual(['slack.com']);
  });

  it('matches an exact host or a subdomain, but not a look-alike or an IP suffix', () => {
    expect(isHostAllowed('files-origin.slack.com', ['slack.com'])).toBe(true);
    expect(isHostAllowed('CDN.DiscordApp.com', ['cdn.discordapp.com'])).toBe(true);
    expect(isHostAllowed('evilslack.com', ['slack.com'])).toBe(false);
    expect(isHostAllowed('x.127.0.0.1', ['127.0.0.1'])).toBe(false);
  });

  it('refuses a look-alike of an allowed host, naming the platform', async () => {
    const hosts = allowedHostsFor(['files.slack.com'], loadConfig({}).SLACK_API_URL);
    expect(hosts).toContain('slack.com');
    const err = await failure(
      fetchAttachment('https://files-origin.slack.com.evil.example/x', {
        ...options,
        allowedHosts: hosts,
        platformName: 'Slack',
      }),
    );
    expect(err.code).toBe('attachment_host');
    expect(err.userMessage).toBe(
      'That attachment is not hosted by Slack, so it was not downloaded; upload the image directly.',
    );
  });
});
