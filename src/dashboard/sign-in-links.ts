import { createHash, randomBytes } from 'node:crypto';
import type { JobStore } from '../core/jobs/job-store.js';
import type { Viewer } from './session.js';

export const LINK_TTL_MS = 15 * 60_000;

/** What the chat adapters ask of the dashboard: a private one-time sign-in link. */
export interface DashboardLinks {
  /** The link for `viewer`, valid 15 minutes and once; undefined without PUBLIC_URL. */
  create(viewer: Viewer): Promise<string | undefined>;
}

/**
 * One-time sign-in links. The token travels only in the link; the store keeps its hash with the
 * viewer for 15 minutes, and `remember` (atomic in SQLite and Redis) lets exactly one sign-in
 * use it, whichever instance answers it.
 */
export class SignInLinks implements DashboardLinks {
  constructor(
    private readonly store: Pick<JobStore, 'setValue' | 'getValue' | 'remember'>,
    private readonly publicUrl: string | undefined,
  ) {}

  async create(viewer: Viewer): Promise<string | undefined> {
    if (!this.publicUrl) return undefined;
    const token = randomBytes(32).toString('base64url');
    await this.store.setValue(keyOf(token), viewer, LINK_TTL_MS);
    return `${this.publicUrl.replace(/\/+$/, '')}/dashboard/signin?token=${token}`;
  }

  /**
   * The viewer a link was made for while it is still usable, without using it: opening the link
   * only shows a button, so a chat's link preview or a link scanner cannot spend the token.
   */
  async peek(token: string): Promise<Viewer | undefined> {
    if (!isTokenShaped(token)) return undefined;
    const [viewer, spent] = await Promise.all([
      this.store.getValue<Viewer>(keyOf(token)),
      this.store.getValue<boolean>(`${keyOf(token)}:spent`),
    ]);
    return viewer && !spent ? viewer : undefined;
  }

  /** The viewer a link was made for, once; undefined when unknown, expired or already used. */
  async redeem(token: string): Promise<Viewer | undefined> {
    if (!isTokenShaped(token)) return undefined;
    const viewer = await this.store.getValue<Viewer>(keyOf(token));
    if (!viewer) return undefined;
    const first = await this.store.remember(`${keyOf(token)}:used`, LINK_TTL_MS);
    if (!first) return undefined;
    // Only for `peek` (what the page says); `remember` above is what decides.
    await this.store.setValue(`${keyOf(token)}:spent`, true, LINK_TTL_MS);
    return viewer;
  }
}

const isTokenShaped = (token: string) => /^[A-Za-z0-9_-]{20,100}$/.test(token);

const keyOf = (token: string) =>
  `dashboard:link:${createHash('sha256').update(token).digest('base64url')}`;
