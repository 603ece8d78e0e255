import type { HttpRoute } from './http-route.js';
import type { Metrics } from './metrics.js';

/** GET /metrics in the Prometheus text format, from the bot's own registry. */
export function createMetricsRoute(metrics: Pick<Metrics, 'registry'>): HttpRoute {
  return {
    method: 'GET',
    path: '/metrics',
    handle: async (_req, res) => {
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
