import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRoute } from '../../src/server/http-route.js';
import { createHttpServer, type HttpServer } from '../../src/server/http-server.js';
import { sendText } from '../../src/server/respond.js';

const logger = pino({ level: 'silent' });
let server: HttpServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(
  routes: HttpRoute[],
  readiness: () => Promise<boolean> | boolean = () => true,
  onResponse?: Parameters<typeof createHttpServer>[0]['onResponse'],
): Promise<string> {
  server = createHttpServer({
    config: { PORT: 0 },
    logger,
    routes,
    readiness,
    host: '127.0.0.1',
    ...(onResponse ? { onResponse } : {}),
  });
  await server.start();
  return server.url!;
}

const hello: HttpRoute = {
  method: 'GET',
  path: '/hello',
  handle: (_req, res) => sendText(res, 200, 'hi'),
};

describe('createHttpServer', () => {
  it('answers /healthz with 200 while the process is up', async () => {
    const url = await start([], () => false);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when the readiness check passes', async () => {
    const url = await start([], async () => true);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('answers /readyz with 503 when the readiness check fails or throws', async () => {
    let mode: 'false' | 'throw' = 'false';
    const url = await start([], () => {
      if (mode === 'throw') throw new Error('store down');
      return false;
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    mode = 'throw';
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
  });

  it('routes by exact path and by prefix for paths ending in a slash', async () => {
    const prefix: HttpRoute = {
      method: 'GET',
      path: '/files/',
      handle: (req, res) => sendText(res, 200, `file ${req.url}`),
    };
    const url = await start([hello, prefix]);
    expect(await (await fetch(`${url}/hello?x=1`)).text()).toBe('hi');
    expect(await (await fetch(`${url}/files/a.txt`)).text()).toBe('file /files/a.txt');
    expect((await fetch(`${url}/hello/more`)).status).toBe(404);
  });

  it('answers 404 for unknown paths and 405 with Allow for a known path with the wrong method', async () => {
    const url = await start([hello]);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const res = await fetch(`${url}/hello`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers HEAD through the GET route without a body', async () => {
    const url = await start([hello]);
    const res = await fetch(`${url}/hello`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('2');
    expect(await res.text()).toBe('');
  });

  it('turns a throwing route into a 500 and keeps serving', async () => {
    const broken: HttpRoute = {
      method: 'GET',
      path: '/broken',
      handle: () => {
        throw new Error('boom');
      },
    };
    const url = await start([broken, hello]);
    expect((await fetch(`${url}/broken`)).status).toBe(500);
    expect((await fetch(`${url}/hello`)).status).toBe(200);
  });

  it('reports each response with the mounted route, never the raw URL', async () => {
    const seen: { route: string; status: number }[] = [];
    const url = await start([hello], undefined, ({ route, status }) =>
      seen.push({ route, status }),
    );
    await (await fetch(`${url}/hello?token=secret`)).text();
    await (await fetch(`${url}/private/abc`)).text();
    expect(seen).toEqual([
      { route: '/hello', status: 200 },
      { route: 'not_found', status: 404 },
    ]);
  });

  it('lets an in-flight request finish during stop and refuses new connections after', async () => {
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const slow: HttpRoute = {
      method: 'GET',
      path: '/slow',
      handle: async (_req, res) => {
        entered();
        await new Promise<void>((r) => {
          release = r;
        });
        sendText(res, 200, 'finished');
      },
    };
    const url = await start([slow]);
    const pending = fetch(`${url}/slow`).then((r) => r.text());
    await inside;
    const stopped = server!.stop();
    release();
    expect(await pending).toBe('finished');
    await stopped;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    server = undefined;
  });
});
