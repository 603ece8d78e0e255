import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/core/pricing/price-table.js';
import { SignInLinks } from '../../src/dashboard/sign-in-links.js';
import { type DiscordHarness, DiscordHarness as Harness } from '../discord/discord-harness.js';
import { ARTIFACTS, freePort, launchChromium } from './browser.js';

const BOB = { id: '1100000000000000099', username: 'bob' };
// The page's globals inside page.evaluate (the project's types are Node's, not the DOM's).
// biome-ignore lint/suspicious/noExplicitAny: browser-side code, typed by the browser.
type Any = any;

/**
 * Issue #14 in a real browser: Debian's Chromium driven by playwright-core against the bot's own
 * HTTP server, with videos made through fake Discord and the MiniMax simulator.
 */
describe('the team dashboard in Chromium', () => {
  let browser: Browser;
  let h: DiscordHarness;
  let base: string;
  let link: string;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}.png`), fullPage: true });

  /** A private sign-in link, as the bot answers /video-dashboard. */
  async function linkFromChat(actor = {}): Promise<string> {
    const reply = await h.replyIdOf(h.fake.slashCommand('video-dashboard', {}, actor));
    await expect
      .poll(() => h.fake.state.messages.get(reply)?.content ?? '', { timeout: 10_000 })
      .toContain('/dashboard/signin?token=');
    const content = h.fake.state.messages.get(reply)!.content;
    // In angle brackets: Discord makes no preview of it (its crawler never fetches the link).
    return /<(http:\/\/\S+\/dashboard\/signin\?token=[\w-]+)>/.exec(content)![1]!;
  }

  /** Opens a sign-in link and presses its one button, as a person does. */
  async function signIn(page: Page, url: string): Promise<void> {
    const shown = await page.goto(url);
    expect(shown?.status()).toBe(200);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('#signin button')]);
  }

  async function makeVideo(options: Record<string, string | number>, actor = {}): Promise<string> {
    const reply = await h.replyIdOf(h.fake.slashCommand('video', options, actor));
    await h.waitForVideo(reply);
    return reply;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await Harness.create({
      httpPort: port,
      simOptions: { timelineMs: { preparing: 20, queueing: 20, processing: 60 } },
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('makes three videos through Discord (two people, two models)', async () => {
    await makeVideo({ prompt: 'a red fox in fresh snow' });
    await makeVideo({ prompt: 'city lights at night', model: 'MiniMax-H3', duration: 5 });
    await makeVideo({ prompt: 'a paper boat on a puddle' }, { user: BOB });
    link = await linkFromChat({ permissions: 1n << 5n });
    expect(link.startsWith(`${base}/dashboard/signin?token=`)).toBe(true);
  });

  it('signs in through the link from Discord, lists the videos, plays one and filters', async () => {
    // A chat's link preview (or a scanner) fetching the link first does not use it up.
    for (let i = 0; i < 2; i++) expect((await fetch(link)).status).toBe(200);
    const page = await browser.newPage();
    const shown = await page.goto(link);
    expect(shown?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.textContent('main')).toContain('Open the dashboard');
    await shot(page, 'signin');
    const [answer] = await Promise.all([page.waitForNavigation(), page.click('#signin button')]);
    expect(answer?.url()).toBe(`${base}/dashboard`);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.locator('li.video').count()).toBe(3);
    const prompts = await page.locator('li.video .prompt').allTextContents();
    expect(prompts).toEqual([
      'a paper boat on a puddle',
      'city lights at night',
      'a red fox in fresh snow',
    ]);
    expect(await page.locator('li.video .author').allTextContents()).toContain('bob');
    // One of them plays: its currentTime advances.
    const played = await page.evaluate(async () => {
      const video = (globalThis as Any).document.querySelector('li.video video');
      video.muted = true;
      await video.play();
      await new Promise((r) => setTimeout(r, 700));
      return video.currentTime;
    });
    expect(played).toBeGreaterThan(0);
    await shot(page, 'gallery');
    await copyFile(join(ARTIFACTS, 'dashboard-gallery.png'), join(ARTIFACTS, 'readme-gallery.png'));
    await page.selectOption('select[name=model]', 'MiniMax-H3');
    await Promise.all([page.waitForURL(/model=MiniMax-H3/), page.click('form#filters button')]);
    expect(await page.locator('li.video .prompt').allTextContents()).toEqual([
      'city lights at night',
    ]);
    await page.goto(`${base}/dashboard?q=FOX`);
    expect(await page.locator('li.video .prompt').allTextContents()).toEqual([
      'a red fox in fresh snow',
    ]);
    await page.close();
  });

  it('refuses the same link a second time', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answer = await page.goto(link);
    expect(answer?.status()).toBe(403);
    expect(await page.textContent('main')).toContain('already used');
    expect(await page.locator('li.video').count()).toBe(0);
    // Posting the used token, as the button would, opens no session either.
    const token = new URL(link).searchParams.get('token')!;
    const again = await context.request.post(`${base}/dashboard/signin`, {
      form: { token },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(403);
    expect(again.headers()['set-cookie']).toBeUndefined();
    expect((await context.request.get(`${base}/dashboard/api/videos`)).status()).toBe(401);
    await context.close();
  });

  it('shows a job changing state live on the queue page', async () => {
    const page = await browser.newPage();
    await signIn(page, await linkFromChat());
    await page.goto(`${base}/dashboard/queue`);
    await expect.poll(() => page.locator('#queue-empty').isVisible()).toBe(true);
    // Slow answers to the status queries keep the job generating for a few seconds.
    for (let i = 0; i < 3; i++) h.sim.inject({ route: 'query', kind: 'delay', ms: 1_200 });
    const reply = h.replyIdOf(h.fake.slashCommand('video', { prompt: 'a slow sunrise' }));
    const row = page.locator('#queue-rows tr');
    // No reload: the row appears, reaches generating, and goes once the video is done.
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => row.first().getAttribute('data-state'), { timeout: 10_000, interval: 20 })
      .toBe('generating');
    expect(await page.locator('#queue-empty').isVisible()).toBe(false);
    await shot(page, 'queue');
    await h.waitForVideo(await reply);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    await page.close();
  });

  it("charts the day's cost as the sum of the jobs, and shows the budgets", async () => {
    const page = await browser.newPage();
    await signIn(page, await linkFromChat({ permissions: 1n << 5n }));
    await page.goto(`${base}/dashboard/spend`);
    await page.waitForFunction(() => (globalThis as Any).Chart !== undefined);
    const today = new Date().toISOString().slice(0, 10);
    const charted = await page.evaluate((day) => {
      const chart = (globalThis as Any).Chart.getChart('by-person');
      const i = chart.data.labels.indexOf(day);
      return chart.data.datasets.reduce((n: number, d: Any) => n + (d.data[i] ?? 0), 0);
    }, today);
    const jobs = await h.store.listByTeam('discord', h.fake.guildId, 100);
    const billed = jobs.reduce((n, j) => n + (j.cost?.actual ?? 0), 0);
    expect(billed).toBeGreaterThan(0);
    expect(charted).toBeCloseTo(billed, 4);
    // The budgets table: the team's use today is what the budget ledger holds (all billed here).
    const teamToday = await page
      .locator('table.budgets tr', { hasText: 'This team, today' })
      .locator('td')
      .allTextContents();
    expect(teamToday[1]).toBe(formatMoney(billed, 'USD'));
    await shot(page, 'spend');
    await page.close();
  });

  it('shows others their own spend only, and keeps a video listed once its file is gone', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, await linkFromChat({ user: BOB }));
    const jobs = await h.store.listByTeam('discord', h.fake.guildId, 100);
    const bobs = jobs.filter((j) => j.origin.userId === BOB.id);
    const spend = await (await context.request.get(`${base}/dashboard/api/spend`)).json();
    expect(spend.total).toBeCloseTo(
      bobs.reduce((n, j) => n + (j.cost?.actual ?? 0), 0),
      4,
    );
    expect(spend.byPerson.map((p: { label: string }) => p.label)).toEqual(['bob']);
    const fox = jobs.find((j) => j.request.prompt === 'a red fox in fresh snow')!;
    await rm(join(h.dataDir, 'videos', `${fox.id}.mp4`));
    await page.goto(`${base}/dashboard?q=fox`);
    const card = page.locator('li.video');
    expect(await card.locator('video').count()).toBe(0);
    expect(await card.locator('.gone').textContent()).toContain('left the bot');
    expect(await card.locator('a').getAttribute('href')).toBe(fox.resultUrl);
    await context.close();
  });

  it("never shows one team's videos to another team, in pages or the API", async () => {
    const jobs = await h.store.listByTeam('discord', h.fake.guildId, 100);
    const theirs = jobs.find((j) => j.state === 'done')!;
    const other = await new SignInLinks(h.store, base).create({
      platform: 'discord',
      workspaceId: '1999999999999999999',
      userId: '1888888888888888888',
      isAdmin: true,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, other!);
    expect(await page.locator('li.video').count()).toBe(0);
    expect(await page.textContent('main')).toContain('No videos match');
    const api = context.request;
    expect(await (await api.get(`${base}/dashboard/api/videos`)).json()).toEqual([]);
    expect((await api.get(`${base}/dashboard/api/videos/${theirs.id}`)).status()).toBe(404);
    expect((await api.get(`${base}/dashboard/media/${theirs.id}.mp4`)).status()).toBe(404);
    const spend = await (await api.get(`${base}/dashboard/api/spend`)).json();
    expect(spend.total).toBe(0);
    // Without a session: nothing at all.
    const anonymous = await browser.newContext();
    expect((await anonymous.request.get(`${base}/dashboard/api/videos`)).status()).toBe(401);
    expect((await anonymous.request.get(`${base}/dashboard/media/${theirs.id}.mp4`)).status()).toBe(
      401,
    );
    await context.close();
    await anonymous.close();
  });
});
