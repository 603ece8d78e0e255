import { timingSafeEqual } from 'node:crypto';
import type { HttpRoute } from './http-route.js';
import type { Metrics } from './metrics.js';
import { sendText } from './respond.js';

/**
 * GET /metrics in the Prometheus text format, from the bot's own registry. Meant for an internal
 * scraper; with `token` (METRICS_TOKEN) it answers only `Authorization: Bearer <token>`.
 */
export function createMetricsRoute(metrics: Pick<Metrics, 'registry'>, token?: string): HttpRoute {
  return {
    method: 'GET',
    path: '/metrics',
    handle: async (req, res) => {
      if (token && !bearerMatches(req.headers.authorization, token)) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        return sendText(res, 401, 'unauthorized');
      }
      const body = await metrics.registry.metrics();
      res.writeHead(200, {
        'content-type': metrics.registry.contentType,
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      res.end(body);
    },
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
