import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { ProgressHub } from '../../src/core/engine/progress-hub.js';
import type { Job, JobState } from '../../src/core/jobs/job.js';
import { SqliteJobStore } from '../../src/core/jobs/sqlite-job-store.js';
import { createDashboard } from '../../src/dashboard/dashboard.js';
import type { Viewer } from '../../src/dashboard/session.js';
import { SESSION_COOKIE, Sessions, sessionKeyOf } from '../../src/dashboard/session.js';
import { LINK_TTL_MS, SignInLinks } from '../../src/dashboard/sign-in-links.js';
import { PAGE_SIZE } from '../../src/dashboard/team-data.js';
import { createHttpServer, type HttpServer } from '../../src/server/http-server.js';

const logger = pino({ level: 'silent' });
const DAY = 86_400_000;
const ALICE: Viewer = { platform: 'discord', workspaceId: 'G1', userId: 'alice', isAdmin: false };
const ADMIN: Viewer = { ...ALICE, userId: 'root', isAdmin: true };
/** The policy issue #14 asks for, directive by directive. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
];

let now: number;
let seq = 0;
let dataDir: string;
let store: SqliteJobStore;
let hub: ProgressHub;
let links: SignInLinks;
let server: HttpServer;
let stopDashboard: () => void;
let base: string;

function job(
  fields: { prompt: string; user?: string; team?: string; platform?: string; model?: string },
  extra: Partial<Job> & { state?: JobState } = {},
): Job {
  seq += 1;
  const createdAt = extra.createdAt ?? now - seq * 60_000;
  return {
    id: `Jb${String(seq).padStart(4, '0')}x2Qm9LpR4sT8v`,
    state: 'done',
    request: {
      mode: 't2v',
      model: fields.model ?? 'MiniMax-Hailuo-2.3',
      prompt: fields.prompt,
      duration: 6,
      resolution: '768P',
      promptOptimizer: true,
      watermark: false,
      imageSlots: [],
    },
    origin: {
      platform: fields.platform ?? 'discord',
      userId: fields.user ?? 'alice',
      userName: fields.user ?? 'alice',
      channelId: 'C1',
      workspaceId: fields.team ?? 'G1',
      ref: {},
    },
    createdAt,
    updatedAt: createdAt,
    finishedAt: createdAt + 60_000,
    pollCount: 0,
    createAttempts: 0,
    cost: { currency: 'USD', estimate: 0.28, actual: 0.28 },
    resultUrl: `https://discord.com/channels/G1/C1/${seq}`,
    ...extra,
  };
}

/** Stores a job and, for a finished one, its MP4 in DATA_DIR unless `file` is false. */
async function seed(j: Job, file = j.state === 'done'): Promise<Job> {
  await store.insert(j);
  if (file) await writeFile(join(dataDir, 'videos', `${j.id}.mp4`), Buffer.alloc(64));
  return j;
}

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const signInPost = (token: string) =>
  fetch(`${base}/dashboard/signin`, {
    method: 'POST',
    body: new URLSearchParams({ token }),
    redirect: 'manual',
  });

/** A session cookie for `viewer`, through a link and its button. */
async function cookieFor(viewer: Viewer): Promise<string> {
  const answer = await signInPost(tokenOf((await links.create(viewer))!));
  expect(answer.status).toBe(303);
  return answer.headers.get('set-cookie')!.split(';')[0]!;
}

const get = (path: string, cookie?: string) =>
  fetch(`${base}${path}`, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });
const prompts = async (path: string, cookie: string) =>
  ((await (await get(path, cookie)).json()) as { prompt: string }[]).map((v) => v.prompt);

beforeEach(async () => {
  now = Date.parse('2026-03-10T12:00:00Z');
  dataDir = await mkdtemp(join(tmpdir(), 'dashboard-http-'));
  await mkdir(join(dataDir, 'videos'));
  store = new SqliteJobStore({ db: new Database(':memory:'), ownsDb: true, now: () => now });
  const clock: Clock = { now: () => now, sleep: async () => {} };
  hub = new ProgressHub({ clock, logger, estimateMs: () => 60_000 });
  links = new SignInLinks(store, 'https://bot.example.com');
  const dashboard = createDashboard({
    store,
    service: { onProgress: (listener) => hub.on(listener) },
    sessions: new Sessions(sessionKeyOf({ MINIMAX_API_KEY: 'test-key' }), true, () => now),
    links,
    dataDir,
    currency: 'USD',
    budgets: async () => [{ label: 'This team, today', limit: 'US$ 5.00' }],
    now: () => now,
    logger,
    queueRefreshMs: 40,
  });
  stopDashboard = dashboard.stop;
  server = createHttpServer({
    config: { PORT: 0 },
    logger,
    routes: dashboard.routes,
    readiness: () => true,
    host: '127.0.0.1',
  });
  await server.start();
  base = server.url!;
});

afterEach(async () => {
  stopDashboard();
  await server.stop();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('dashboard sign-in over HTTP', () => {
  it('shows a button for a link, and only pressing it opens a 12-hour session', async () => {
    const url = (await links.create(ALICE))!;
    const local = `${base}/dashboard/signin?token=${tokenOf(url)}`;
    for (let i = 0; i < 2; i++) {
      const shown = await get(`/dashboard/signin?token=${tokenOf(url)}`);
      expect(shown.status).toBe(200);
      expect(shown.headers.get('set-cookie')).toBeNull();
      expect(await shown.text()).toContain('Open the dashboard');
    }
    const answer = await signInPost(tokenOf(url));
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/dashboard');
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    for (const part of ['HttpOnly', 'SameSite=Lax', 'Secure', 'Path=/dashboard', 'Max-Age=43200'])
      expect(cookie).toContain(part);
    expect((await fetch(local, { redirect: 'manual' })).status).toBe(403);
    expect((await signInPost(tokenOf(url))).status).toBe(403);
  });

  it('refuses a link after 15 minutes, opened or posted', async () => {
    const url = (await links.create(ALICE))!;
    now += LINK_TTL_MS + 1;
    const shown = await get(`/dashboard/signin?token=${tokenOf(url)}`);
    expect(shown.status).toBe(403);
    expect(await shown.text()).toContain('expired');
    const posted = await signInPost(tokenOf(url));
    expect(posted.status).toBe(403);
    expect(posted.headers.get('set-cookie')).toBeNull();
  });

  it('accepts a link a second before its 15 minutes end', async () => {
    const url = (await links.create(ALICE))!;
    now += LINK_TTL_MS - 1_000;
    expect((await signInPost(tokenOf(url))).status).toBe(303);
  });

  it('answers 401 to a tampered or 12-hour-old session: JSON for the API, a page for people', async () => {
    const cookie = await cookieFor(ALICE);
    expect((await get('/dashboard/api/videos', cookie)).status).toBe(200);
    const [name, value] = cookie.split('=') as [string, string];
    const [, signature] = value.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...ALICE, isAdmin: true, exp: now + DAY }),
    ).toString('base64url');
    const tampered = `${name}=${forged}.${signature}`;
    const api = await get('/dashboard/api/spend', tampered);
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'sign in with a link from the chat' });
    const page = await get('/dashboard', tampered);
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/video-dashboard');
    now += 12 * 3_600_000 + 1;
    expect((await get('/dashboard/api/videos', cookie)).status).toBe(401);
  });

  it('answers 401 on every page and API route without a session', async () => {
    const theirs = await seed(job({ prompt: 'a fox' }));
    for (const path of [
      '/dashboard',
      '/dashboard/queue',
      '/dashboard/spend',
      '/dashboard/api/videos',
      `/dashboard/api/videos/${theirs.id}`,
      '/dashboard/api/queue',
      '/dashboard/api/queue/events',
      '/dashboard/api/spend',
      `/dashboard/media/${theirs.id}.mp4`,
    ])
      expect((await get(path)).status, path).toBe(401);
  });
});

describe('dashboard team scoping', () => {
  it("answers 404 for another team's video in the API and the player, and never lists it", async () => {
    const ours = await seed(job({ prompt: 'our fox' }));
    const other = await seed(job({ prompt: 'their secret', team: 'G2', user: 'carol' }));
    const sameIdOtherPlatform = await seed(job({ prompt: 'slack secret', platform: 'slack' }));
    const cookie = await cookieFor(ALICE);
    expect(await prompts('/dashboard/api/videos', cookie)).toEqual(['our fox']);
    expect((await get(`/dashboard/api/videos/${ours.id}`, cookie)).status).toBe(200);
    expect((await get(`/dashboard/media/${ours.id}.mp4`, cookie)).status).toBe(200);
    for (const j of [other, sameIdOtherPlatform]) {
      expect((await get(`/dashboard/api/videos/${j.id}`, cookie)).status).toBe(404);
      expect((await get(`/dashboard/media/${j.id}.mp4`, cookie)).status).toBe(404);
    }
    const html = await (await get('/dashboard', cookie)).text();
    expect(html).toContain('our fox');
    expect(html).not.toContain('secret');
    expect(html).not.toContain(other.id);
    const spend = (await (await get('/dashboard/api/spend', await cookieFor(ADMIN))).json()) as {
      total: number;
    };
    expect(spend.total).toBe(0.28);
  });

  it('links back to the chat only over http(s)', async () => {
    await seed(job({ prompt: 'odd link' }, { resultUrl: 'javascript:alert(1)' }));
    await seed(job({ prompt: 'good link' }));
    const cookie = await cookieFor(ALICE);
    const rows = (await (await get('/dashboard/api/videos', cookie)).json()) as {
      prompt: string;
      chatLink?: string;
    }[];
    expect(rows.find((r) => r.prompt === 'odd link')?.chatLink).toBeUndefined();
    expect(rows.find((r) => r.prompt === 'good link')?.chatLink).toMatch(/^https:\/\/discord/);
    expect(await (await get('/dashboard', cookie)).text()).not.toContain('javascript:');
  });
});

describe('dashboard gallery filters', () => {
  const at = (day: string) => Date.parse(`${day}T10:00:00Z`);
  beforeEach(async () => {
    await seed(job({ prompt: 'a red FOX', user: 'alice' }, { createdAt: at('2026-03-01') }));
    await seed(
      job(
        { prompt: 'city lights', user: 'bob', model: 'MiniMax-H3' },
        { createdAt: at('2026-03-05') },
      ),
    );
    await seed(
      job({ prompt: 'a fox at night', user: 'bob' }, { createdAt: at('2026-03-09') }),
      false,
    );
    await seed(job({ prompt: 'still rendering' }, { state: 'generating' }));
  });

  it('lists finished videos newest first; a video whose file is gone stays, unplayable', async () => {
    const cookie = await cookieFor(ALICE);
    const rows = (await (await get('/dashboard/api/videos', cookie)).json()) as {
      prompt: string;
      playable: boolean;
    }[];
    expect(rows.map((r) => [r.prompt, r.playable])).toEqual([
      ['a fox at night', false],
      ['city lights', true],
      ['a red FOX', true],
    ]);
    const html = await (await get('/dashboard?q=night', cookie)).text();
    expect(html).not.toContain('<video');
    expect(html).toContain('left the bot');
    expect(html).toContain('Open in the chat');
  });

  it('narrows by person, model, dates (inclusive, UTC) and words of the prompt', async () => {
    const cookie = await cookieFor(ALICE);
    const q = (query: string) => prompts(`/dashboard/api/videos?${query}`, cookie);
    expect(await q('person=bob')).toEqual(['a fox at night', 'city lights']);
    expect(await q('model=MiniMax-H3')).toEqual(['city lights']);
    expect(await q('from=2026-03-05')).toEqual(['a fox at night', 'city lights']);
    expect(await q('to=2026-03-05')).toEqual(['city lights', 'a red FOX']);
    expect(await q('from=2026-03-02&to=2026-03-08')).toEqual(['city lights']);
    expect(await q('q=fox')).toEqual(['a fox at night', 'a red FOX']);
    expect(await q('q=fox&person=alice')).toEqual(['a red FOX']);
    expect(await q('q=whale')).toEqual([]);
    expect(await q('from=not-a-date')).toHaveLength(3);
  });

  it('keeps the chosen filters in the form', async () => {
    const html = await (
      await get('/dashboard?model=MiniMax-H3&q=%3Cb%3E', await cookieFor(ALICE))
    ).text();
    expect(html).toMatch(/<option value="MiniMax-H3"\s+selected>/);
    expect(html).toContain('value="&lt;b&gt;"');
    expect(html).not.toContain('<b>');
  });
});

describe('dashboard gallery pages', () => {
  it(`shows ${PAGE_SIZE} videos a page with links that keep the filters`, async () => {
    for (let i = 0; i < PAGE_SIZE + 6; i++) await seed(job({ prompt: `clip ${i}` }));
    const cookie = await cookieFor(ALICE);
    const first = await (await get('/dashboard?q=clip', cookie)).text();
    expect(first.match(/<li class="video"/g)).toHaveLength(PAGE_SIZE);
    expect(first).toContain('page 1 of 2');
    expect(first).toContain('href="/dashboard?q=clip&amp;page=2"');
    const second = await (await get('/dashboard?q=clip&page=2', cookie)).text();
    expect(second.match(/<li class="video"/g)).toHaveLength(6);
    expect(second).toContain('rel="prev"');
    expect(await (await get('/dashboard?page=99', cookie)).text()).toContain('page 2 of 2');
    expect(await prompts('/dashboard/api/videos?limit=5&page=2', cookie)).toEqual(
      [5, 6, 7, 8, 9].map((i) => `clip ${i}`),
    );
  });
});

describe('dashboard security headers', () => {
  it('sends the strict Content-Security-Policy on pages, JSON, scripts and errors', async () => {
    const cookie = await cookieFor(ALICE);
    for (const path of [
      '/dashboard',
      '/dashboard/spend',
      '/dashboard/api/videos',
      '/dashboard/static/queue.js',
      '/dashboard/static/chart.umd.js',
      '/dashboard/nowhere',
      '/dashboard/signin?token=unknown-token-unknown-token',
    ]) {
      const answer = await get(path, cookie);
      const csp = answer.headers.get('content-security-policy') ?? '';
      for (const directive of CSP) expect(csp, path).toContain(directive);
      expect(answer.headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect((await get('/dashboard/static/..%2F..%2Fpackage.json', cookie)).status).toBe(404);
  });

  it('puts no inline script or style in any page', async () => {
    const cookie = await cookieFor(ADMIN);
    await seed(job({ prompt: 'a fox' }));
    for (const path of ['/dashboard', '/dashboard/queue', '/dashboard/spend']) {
      const html = await (await get(path, cookie)).text();
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*application\/json)[^>]*>/);
      expect(html, path).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
  });
});

describe('dashboard queue', () => {
  it('shows the place in line and a time left that follows the clock', async () => {
    const queued = await seed(job({ prompt: 'waiting' }, { state: 'queued' }));
    hub.emit(queued, 'position', { queuePosition: 2 });
    const cookie = await cookieFor(ALICE);
    const read = async () =>
      ((await (await get('/dashboard/api/queue', cookie)).json()) as Record<string, unknown>[])[0];
    expect(await read()).toMatchObject({
      id: queued.id,
      state: 'queued',
      position: 2,
      etaSeconds: 60,
    });
    now += 10_000;
    expect(await read()).toMatchObject({ position: 2, etaSeconds: 50 });
    hub.emit({ ...queued, state: 'done' }, 'state', { from: 'queued' });
    await store.replace({ ...queued, state: 'done', version: 1 });
    expect((await (await get('/dashboard/api/queue', cookie)).json()) as unknown[]).toEqual([]);
  });

  it("pushes a job that no local event announced (another instance's) to an open queue page", async () => {
    const cookie = await cookieFor(ALICE);
    const answer = await get('/dashboard/api/queue/events', cookie);
    expect(answer.headers.get('content-type')).toContain('text/event-stream');
    const reader = answer.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (wanted: string) => {
      const deadline = Date.now() + 5_000;
      while (!text.includes(wanted) && Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), sleep(deadline - Date.now())]);
        if (!chunk || chunk.done) break;
        text += decoder.decode(chunk.value);
      }
      return text;
    };
    expect(await readUntil('data: []')).toContain('event: queue');
    const elsewhere = await seed(job({ prompt: 'made elsewhere' }, { state: 'generating' }));
    await seed(job({ prompt: 'other team', team: 'G2' }, { state: 'generating' }));
    expect(await readUntil(elsewhere.id)).toContain('made elsewhere');
    expect(text).not.toContain('other team');
    await reader.cancel();
  });
});

describe('dashboard spend', () => {
  it('counts each job on the UTC day it finished; members see only their own', async () => {
    const day = (d: string) => Date.parse(`${d}T23:30:00Z`);
    await seed(job({ prompt: 'a', user: 'alice' }, { finishedAt: day('2026-03-09') }));
    await seed(
      job(
        { prompt: 'b', user: 'bob', model: 'MiniMax-H3' },
        { finishedAt: day('2026-03-09'), cost: { currency: 'USD', estimate: 0.4, actual: 0.4 } },
      ),
    );
    await seed(job({ prompt: 'c', user: 'bob' }, { finishedAt: day('2026-03-10') }));
    await seed(
      job(
        { prompt: 'failed', user: 'bob' },
        { state: 'failed', cost: { currency: 'USD', estimate: 0.28, actual: 0 } },
      ),
    );
    await seed(job({ prompt: 'too old', user: 'bob' }, { finishedAt: now - 40 * DAY }));
    type Spend = {
      days: string[];
      total: number;
      byPerson: { label: string; values: number[] }[];
      byModel: { label: string; values: number[] }[];
    };
    const admin = (await (
      await get('/dashboard/api/spend', await cookieFor(ADMIN))
    ).json()) as Spend;
    expect(admin.days).toHaveLength(30);
    expect(admin.days.at(-1)).toBe('2026-03-10');
    const on = (s: Spend['byPerson'], label: string, d: string) =>
      s.find((x) => x.label === label)?.values[admin.days.indexOf(d)];
    expect(on(admin.byPerson, 'alice', '2026-03-09')).toBe(0.28);
    expect(on(admin.byPerson, 'bob', '2026-03-09')).toBe(0.4);
    expect(on(admin.byPerson, 'bob', '2026-03-10')).toBe(0.28);
    expect(on(admin.byModel, 'MiniMax-Hailuo-2.3', '2026-03-09')).toBe(0.28);
    expect(admin.total).toBeCloseTo(0.96, 6);
    const alice = (await (
      await get('/dashboard/api/spend', await cookieFor(ALICE))
    ).json()) as Spend;
    expect(alice.byPerson.map((p) => p.label)).toEqual(['alice']);
    expect(alice.total).toBe(0.28);
    const page = await (await get('/dashboard/spend', await cookieFor(ALICE))).text();
    expect(page).toContain('Your own videos');
    expect(page).toContain('US$ 5.00');
  });
});
