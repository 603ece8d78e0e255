import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'cookie';
import type { Config } from '../config.js';

/** Who is looking at the dashboard: one person of one server or workspace. */
export interface Viewer {
  platform: string;
  workspaceId: string;
  userId: string;
  isAdmin: boolean;
  /** Display name at sign-in, shown in the header. */
  name?: string;
}

interface SessionBody extends Viewer {
  /** Expiry, epoch ms. */
  exp: number;
}

export const SESSION_COOKIE = 'mvb_dashboard';
export const SESSION_TTL_MS = 12 * 3_600_000;

/**
 * The key that signs session cookies, derived from the bot's own secrets so every instance of
 * one bot agrees without shared state, and every session ends when a secret is rotated. Without
 * any secret (tests that inject a client) a random key serves this process.
 */
export function sessionKeyOf(
  config: Pick<
    Config,
    'MINIMAX_API_KEY' | 'DISCORD_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_BOT_TOKEN'
  >,
): Buffer {
  const parts = [
    config.MINIMAX_API_KEY,
    config.DISCORD_TOKEN,
    config.SLACK_SIGNING_SECRET,
    config.SLACK_BOT_TOKEN,
  ].filter(Boolean);
  const seed = parts.length ? parts.join('\n') : randomBytes(32).toString('hex');
  return createHmac('sha256', seed).update('minimax-video-bot dashboard session v1').digest();
}

/** Signed, HttpOnly session cookies: `base64url(json).base64url(hmac)`. No server-side state. */
export class Sessions {
  constructor(
    private readonly key: Buffer,
    private readonly secure: boolean,
    private readonly now: () => number,
  ) {}

  /** The Set-Cookie header that opens a session for `viewer`. */
  open(viewer: Viewer): string {
    const body: SessionBody = { ...viewer, exp: this.now() + SESSION_TTL_MS };
    const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
    return serialize(SESSION_COOKIE, `${payload}.${this.sign(payload)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: '/dashboard',
      maxAge: SESSION_TTL_MS / 1000,
    });
  }

  /** The Set-Cookie header that ends the session. */
  close(): string {
    return serialize(SESSION_COOKIE, '', {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: '/dashboard',
      maxAge: 0,
    });
  }

  /** The viewer of a request, or undefined when its cookie is missing, altered or expired. */
  read(cookieHeader: string | undefined): Viewer | undefined {
    const value = cookieHeader ? parse(cookieHeader)[SESSION_COOKIE] : undefined;
    if (!value) return undefined;
    const dot = value.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const wanted = Buffer.from(this.sign(payload), 'base64url');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return undefined;
    try {
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionBody;
      if (typeof body.exp !== 'number' || body.exp <= this.now()) return undefined;
      const { exp: _, ...viewer } = body;
      return viewer;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
