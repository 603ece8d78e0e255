import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DASHBOARD_DIR } from './pages.js';
import { SECURITY_HEADERS, sendJson } from './respond.js';

const TYPES: Record<string, string> = {
  'dashboard.css': 'text/css; charset=utf-8',
  'queue.js': 'text/javascript; charset=utf-8',
  'spend.js': 'text/javascript; charset=utf-8',
  'chart.umd.js': 'text/javascript; charset=utf-8',
};

/**
 * The pages' CSS and scripts (the CSP allows no inline ones), and Chart.js from node_modules:
 * a fixed list of names, so no path from a URL ever reaches the file system.
 */
export function createStaticFiles(): (res: ServerResponse, name: string) => Promise<void> {
  const chartFile = join(
    dirname(createRequire(import.meta.url).resolve('chart.js')),
    'chart.umd.js',
  );
  return async (res, name) => {
    const type = TYPES[name];
    if (!type) return sendJson(res, 404, { error: 'not found' });
    const body = await readFile(
      name === 'chart.umd.js' ? chartFile : `${DASHBOARD_DIR}static/${name}`,
    );
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': type,
      'cache-control': 'public, max-age=3600',
    });
    res.end(body);
  };
}
