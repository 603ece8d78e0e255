import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_DIR } from '../../src/dashboard/pages.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** The dashboard reads templates and static files at run time: every way of shipping must carry them. */
describe('dashboard files ship with the bot', () => {
  it('are found beside src/ and dist/ alike', () => {
    expect(DASHBOARD_DIR.endsWith('/dashboard/')).toBe(true);
    expect(readFileSync(`${DASHBOARD_DIR}views/gallery.eta`, 'utf8')).toContain('<video');
  });

  it('are copied by the Dockerfile and listed in the package files', () => {
    expect(read('Dockerfile')).toMatch(/^COPY dashboard \.\/dashboard$/m);
    const pkg = JSON.parse(read('package.json')) as { files: string[] };
    expect(pkg.files).toContain('dashboard');
  });

  it('templates escape by default: no raw output except the layout body and the JSON island', () => {
    for (const view of ['gallery', 'queue', 'spend', 'message', 'layout', 'signin']) {
      const raw = read(`dashboard/views/${view}.eta`).match(/<%~[^%]*%>/g) ?? [];
      for (const tag of raw) expect(['<%~ it.body %>', '<%~ it.spendJson %>']).toContain(tag);
    }
  });
});
