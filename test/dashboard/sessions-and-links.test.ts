import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { openJobStore } from '../../src/backend/open-job-store.js';
import { SqliteJobStore } from '../../src/core/jobs/sqlite-job-store.js';
import { SESSION_COOKIE, Sessions, sessionKeyOf } from '../../src/dashboard/session.js';
import { LINK_TTL_MS, SignInLinks } from '../../src/dashboard/sign-in-links.js';

const VIEWER = { platform: 'slack', workspaceId: 'T1', userId: 'U1', isAdmin: false };

describe('one-time sign-in links', () => {
  const setup = async () => {
    let now = 1_800_000_000_000;
    const store = new SqliteJobStore({
      db: new Database(':memory:'),
      ownsDb: true,
      now: () => now,
    });
    const links = new SignInLinks(store, 'https://bot.example.com/');
    return { links, store, advance: (ms: number) => (now += ms) };
  };
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

  it('works once, for the viewer it was made for', async () => {
    const { links, store } = await setup();
    const url = (await links.create(VIEWER))!;
    expect(url).toMatch(/^https:\/\/bot\.example\.com\/dashboard\/signin\?token=[\w-]{43}$/);
    expect(await links.redeem(tokenOf(url))).toEqual(VIEWER);
    expect(await links.redeem(tokenOf(url))).toBeUndefined();
    await store.close();
  });

  it('expires after 15 minutes', async () => {
    const { links, store, advance } = await setup();
    const url = (await links.create(VIEWER))!;
    advance(LINK_TTL_MS + 1);
    expect(await links.redeem(tokenOf(url))).toBeUndefined();
    await store.close();
  });

  it('refuses made-up tokens and makes no link without PUBLIC_URL', async () => {
    const { links, store } = await setup();
    expect(await links.redeem('x'.repeat(43))).toBeUndefined();
    expect(await links.redeem('../../etc')).toBeUndefined();
    expect(await new SignInLinks(store, undefined).create(VIEWER)).toBeUndefined();
    await store.close();
  });
});

describe('session cookies', () => {
  let now = 1_800_000_000_000;
  const sessions = new Sessions(sessionKeyOf({ MINIMAX_API_KEY: 'k' }), true, () => now);
  const cookieOf = (setCookie: string) => setCookie.split(';')[0]!;

  it('are HttpOnly, SameSite=Lax, Secure on https and scoped to /dashboard', () => {
    const header = sessions.open(VIEWER);
    expect(header).toContain(`${SESSION_COOKIE}=`);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).toMatch(/Secure/);
    expect(header).toMatch(/Path=\/dashboard/);
    expect(sessions.read(cookieOf(header))).toEqual(VIEWER);
  });

  it('refuse a tampered cookie, one signed by another bot, and an expired one', () => {
    const cookie = cookieOf(sessions.open(VIEWER));
    const [name, value] = cookie.split('=') as [string, string];
    const [payload, sig] = value.split('.') as [string, string];
    const admin = Buffer.from(
      JSON.stringify({ ...VIEWER, isAdmin: true, exp: now + 1e9 }),
    ).toString('base64url');
    expect(sessions.read(`${name}=${admin}.${sig}`)).toBeUndefined();
    const other = new Sessions(sessionKeyOf({ MINIMAX_API_KEY: 'other' }), true, () => now);
    expect(other.read(cookie)).toBeUndefined();
    expect(sessions.read(`${name}=${payload}`)).toBeUndefined();
    now += 13 * 3_600_000;
    expect(sessions.read(cookie)).toBeUndefined();
  });
});

describe('sign-in links on Redis, two instances', () => {
  it('one link signs in exactly one of many visits racing on two instances', async () => {
    const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
    const namespace = `mvb-test-links-${randomUUID().slice(0, 8)}`;
    const a = await openJobStore(url, { namespace });
    const b = await openJobStore(url, { namespace });
    try {
      const link = (await new SignInLinks(a, 'https://bot.example.com').create(VIEWER))!;
      const token = new URL(link).searchParams.get('token')!;
      const visits = Array.from({ length: 20 }, (_, i) =>
        new SignInLinks(i % 2 ? a : b, 'https://bot.example.com').redeem(token),
      );
      const results = await Promise.all(visits);
      expect(results.filter(Boolean)).toEqual([VIEWER]);
    } finally {
      const redis = new Redis(url);
      const keys = await redis.keys(`${namespace}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await a.close();
      await b.close();
    }
  });
});
