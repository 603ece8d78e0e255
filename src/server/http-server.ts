import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Startable } from '../core/lifecycle.js';
import { createHealthRoutes } from './health-routes.js';
import type { HttpRoute } from './http-route.js';
import { sendText } from './respond.js';

export interface HttpServerOptions {
  config: Pick<Config, 'PORT'>;
  logger: Logger;
  routes: HttpRoute[];
  /** Answers /readyz; false (or a throw) gives 503. Always 503 once stop() has begun. */
  readiness: () => Promise<boolean> | boolean;
  /** Why the bot is not taking new work while otherwise ready (shown by /readyz). */
  notReadyReason?: () => Promise<string | undefined>;
  /** Interface to bind; default all interfaces (containers), tests pass 127.0.0.1. */
  host?: string;
  /** How long stop() waits for in-flight requests (a video download) before cutting them. */
  shutdownGraceMs?: number;
  /**
   * A socket with no bytes moving either way for this long is closed: a client that stops reading
   * a video (slow loris) or never finishes its request. Default 60 s.
   */
  idleTimeoutMs?: number;
  /** Whole request headers must arrive within this (default 10 s); the body within requestTimeoutMs (30 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Called after every response, for request metrics. `route` is the mounted path, never the URL. */
  onResponse?: (info: { route: string; method: string; status: number; ms: number }) => void;
}

export interface HttpServer extends Startable {
  /** The bound port (useful with PORT=0); undefined before start(). */
  readonly port: number | undefined;
  /** http://host:port of the bound socket, for tests and logs. */
  readonly url: string | undefined;
}

/**
 * The bot's one HTTP server: health, metrics, Slack HTTP mode, MiniMax callbacks and video links.
 * Routes are matched by exact path, or by prefix for paths ending in `/`; HEAD falls back to GET.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const logger = options.logger.child({ component: 'http' });
  const graceMs = options.shutdownGraceMs ?? 10_000;
  let stopping = false;
  let server: Server | undefined;
  let port: number | undefined;
  let host = options.host ?? '0.0.0.0';

  const readiness = async () => !stopping && (await options.readiness());
  const routes = [
    ...createHealthRoutes({
      readiness,
      ...(options.notReadyReason ? { notReadyReason: options.notReadyReason } : {}),
    }),
    ...options.routes,
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const path = pathOf(req.url);
    const method = req.method ?? 'GET';
    const candidates = routes.filter((r) => matches(r.path, path));
    const route =
      candidates.find((r) => r.method === method) ??
      (method === 'HEAD' ? candidates.find((r) => r.method === 'GET') : undefined);
    // While draining, ask keep-alive clients to reconnect (to another instance).
    if (stopping) res.setHeader('connection', 'close');
    res.once('finish', () => {
      options.onResponse?.({
        route: route?.path ?? (candidates.length ? 'method_not_allowed' : 'not_found'),
        method,
        status: res.statusCode,
        ms: performance.now() - started,
      });
      // A keep-alive socket freed while draining would otherwise linger for keepAliveTimeout.
      if (stopping) setImmediate(() => server?.closeIdleConnections());
    });
    if (!route) {
      if (candidates.length) {
        const allowed = new Set(candidates.map((r) => r.method));
        if (allowed.has('GET')) allowed.add('HEAD');
        res.setHeader('allow', [...allowed].join(', '));
        return sendText(res, 405, 'method not allowed');
      }
      return sendText(res, 404, 'not found');
    }
    try {
      await route.handle(req, res);
    } catch (err) {
      logger.error({ err, route: route.path }, 'HTTP route failed');
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    }
  };

  return {
    get port() {
      return port;
    },
    get url() {
      if (port === undefined) return undefined;
      const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
    },
    async start() {
      if (server) return;
      stopping = false;
      const headersTimeout = options.headersTimeoutMs ?? 10_000;
      // Node checks the header and request deadlines on this interval (30 s by default), which
      // would let a slow client outlive a short deadline by that much.
      const s = createServer(
        { connectionsCheckingInterval: Math.min(1_000, headersTimeout) },
        (req, res) => void handle(req, res),
      );
      // Slow clients must not pin sockets; long video downloads are fine while bytes keep moving.
      s.headersTimeout = headersTimeout;
      s.requestTimeout = options.requestTimeoutMs ?? 30_000;
      s.keepAliveTimeout = 5_000;
      s.setTimeout(options.idleTimeoutMs ?? 60_000, (socket) => {
        logger.debug('closing an idle HTTP connection');
        socket.destroy();
      });
      s.on('clientError', (err, socket) => {
        logger.debug({ err: err.message }, 'bad HTTP client request');
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
        else socket.destroy();
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(options.config.PORT, options.host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      server = s;
      const address = s.address() as AddressInfo;
      port = address.port;
      host = options.host ?? address.address;
      logger.info({ port }, 'HTTP server listening');
    },
    async stop() {
      const s = server;
      if (!s) return;
      stopping = true;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeIdleConnections();
      const grace = setTimeout(() => s.closeAllConnections(), graceMs);
      grace.unref();
      await closed;
      clearTimeout(grace);
      server = undefined;
      port = undefined;
      logger.info('HTTP server stopped');
    },
  };
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

function matches(routePath: string, path: string): boolean {
  return routePath.endsWith('/') ? path.startsWith(routePath) : path === routePath;
}
