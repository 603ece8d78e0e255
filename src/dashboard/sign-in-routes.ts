import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { readBody } from '../server/read-body.js';
import { redirect } from './respond.js';
import type { Sessions } from './session.js';
import type { SignInLinks } from './sign-in-links.js';

export const SIGN_IN_HINT =
  'Type /video-dashboard on Discord or /video dashboard on Slack; the bot answers you privately with a sign-in link.';

export interface SignInRoutesOptions {
  links: Pick<SignInLinks, 'peek' | 'redeem'>;
  sessions: Pick<Sessions, 'open' | 'close'>;
  logger: Logger;
  /** Renders a page of the dashboard's layout. */
  page(res: ServerResponse, view: string, status: number, data: Record<string, unknown>): void;
}

/**
 * Opening a sign-in link shows one button; only the button's POST uses the token. A chat's link
 * preview, a security scanner or a browser's prefetch only ever GETs, so none of them can spend
 * the one-time link before its owner does.
 */
export function signInRoutes(o: SignInRoutesOptions) {
  const refused = (res: ServerResponse) =>
    o.page(res, 'message', 403, {
      heading: 'This sign-in link cannot be used',
      text: `It has expired (links last 15 minutes) or was already used. ${SIGN_IN_HINT}`,
    });
  return {
    async show(res: ServerResponse, token: string): Promise<void> {
      const viewer = await o.links.peek(token);
      if (!viewer) return refused(res);
      o.page(res, 'signin', 200, { token, person: viewer.name ?? viewer.userId });
    },
    async signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const body = await readBody(req, { limitBytes: 4_096, timeoutMs: 10_000 }).catch(
        (err: unknown) => {
          o.logger.debug({ err }, 'sign-in form not read');
          return '';
        },
      );
      const viewer = await o.links.redeem(new URLSearchParams(body).get('token') ?? '');
      if (!viewer) return refused(res);
      redirect(res, '/dashboard', { 'set-cookie': o.sessions.open(viewer) });
    },
    signOut(res: ServerResponse): void {
      redirect(res, '/dashboard', { 'set-cookie': o.sessions.close() });
    },
  };
}
