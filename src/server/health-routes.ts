import type { HttpRoute } from './http-route.js';
import { sendJson } from './respond.js';

export interface HealthRoutesOptions {
  /** True when the bot can take work (store reachable, engine started, not shutting down). */
  readiness: () => Promise<boolean> | boolean;
  /** Why the bot is not taking work (e.g. low disk), shown by /readyz with a 503; undefined = fine. */
  notReadyReason?: () => Promise<string | undefined>;
  /** A readiness check slower than this counts as not ready, so probes never hang. Default 2 s. */
  readinessTimeoutMs?: number;
}

/**
 * `/healthz` is liveness: the process answers HTTP, nothing else (a restart would not fix a
 * down store). `/readyz` is readiness: 503 while starting, shutting down, or when the check fails.
 */
export function createHealthRoutes(options: HealthRoutesOptions): HttpRoute[] {
  const timeoutMs = options.readinessTimeoutMs ?? 2_000;
  return [
    {
      method: 'GET',
      path: '/healthz',
      handle: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/readyz',
      handle: async (_req, res) => {
        const ready = await withTimeout(options.readiness, timeoutMs);
        const reason = ready ? await options.notReadyReason?.().catch(() => undefined) : undefined;
        if (ready && !reason) return sendJson(res, 200, { status: 'ready' });
        sendJson(res, 503, { status: 'not ready', ...(reason ? { reason } : {}) });
      },
    },
  ];
}

async function withTimeout(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
