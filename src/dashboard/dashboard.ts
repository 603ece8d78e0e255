import type { IncomingMessage, ServerResponse } from 'node:http';
import Router from 'find-my-way';
import type { Logger } from 'pino';
import { isTerminal } from '../core/jobs/job.js';
import type { JobStore } from '../core/jobs/job-store.js';
import type { VideoService } from '../core/video-service.js';
import type { HttpRoute } from '../server/http-route.js';
import type { BudgetRow } from './budgets.js';
import { serveTeamVideo } from './media-route.js';
import { createPages, scriptJson } from './pages.js';
import { QueueEvents } from './queue-events.js';
import { sendHtml, sendJson } from './respond.js';
import type { Sessions, Viewer } from './session.js';
import type { SignInLinks } from './sign-in-links.js';
import { SIGN_IN_HINT, signInRoutes } from './sign-in-routes.js';
import { createStaticFiles } from './static-files.js';
import { TeamData, type VideoFilters } from './team-data.js';

export interface DashboardOptions {
  store: Pick<JobStore, 'get' | 'listByTeam' | 'listActive' | 'setValue' | 'getValue' | 'remember'>;
  service: Pick<VideoService, 'onProgress'>;
  sessions: Sessions;
  links: SignInLinks;
  dataDir: string;
  currency: string;
  /** The money budgets in force for the viewer's team, with what they hold so far. */
  budgets: (viewer: Viewer) => Promise<BudgetRow[]>;
  now: () => number;
  logger: Logger;
  /** How often an open queue page re-reads the queue without a local event (default 5 s). */
  queueRefreshMs?: number;
}

/** Videos per answer of `/dashboard/api/videos` unless `limit` says otherwise (at most 500). */
const API_PAGE_SIZE = 100;

type Handler = (req: IncomingMessage, res: ServerResponse, p: Params) => Promise<void> | void;
interface Params {
  params: Record<string, string | undefined>;
  query: Record<string, string>;
  viewer?: Viewer;
}

/**
 * The team dashboard on the bot's own HTTP server: sign-in from a chat link, gallery, live
 * queue, spend charts, and the JSON behind them. Every answer is scoped to the session's team.
 */
export function createDashboard(o: DashboardOptions): { routes: HttpRoute[]; stop(): void } {
  const data = new TeamData(o.store, o.dataDir, o.now);
  const pages = createPages();
  const events = new QueueEvents({
    snapshot: (viewer) => data.queue(viewer),
    ...(o.queueRefreshMs !== undefined ? { refreshMs: o.queueRefreshMs } : {}),
  });
  const unsubscribe = o.service.onProgress((e) => {
    data.noteProgress(e.jobId, {
      ...(e.queuePosition !== undefined ? { position: e.queuePosition } : {}),
      ...(e.estimatedRemainingMs !== undefined ? { remainingMs: e.estimatedRemainingMs } : {}),
      at: e.at,
      done: isTerminal(e.state),
    });
    if (e.kind !== 'poll') events.changed(e.job.origin.platform, e.job.origin.workspaceId);
  });
  const staticFile = createStaticFiles();

  const page = (
    res: ServerResponse,
    view: string,
    viewer: Viewer | undefined,
    title: string,
    extra: Record<string, unknown>,
    status = 200,
  ) => sendHtml(res, status, pages.render(view, { title, viewer, page: view, ...extra }));
  const message = (res: ServerResponse, status: number, heading: string, text: string) =>
    page(res, 'message', undefined, heading, { heading, text }, status);
  const signIn = signInRoutes({
    links: o.links,
    sessions: o.sessions,
    logger: o.logger,
    page: (res, view, status, extra) =>
      page(res, view, undefined, String(extra['heading'] ?? 'Sign in'), extra, status),
  });

  /** Pages answer 401 with how to sign in; the JSON API answers 401 with a reason. */
  const signedIn =
    (handler: Handler, api = false): Handler =>
    (req, res, p) => {
      const viewer = o.sessions.read(req.headers.cookie);
      if (!viewer)
        return api
          ? sendJson(res, 401, { error: 'sign in with a link from the chat' })
          : message(res, 401, 'Sign in from the chat', SIGN_IN_HINT);
      return handler(req, res, { ...p, viewer });
    };
  const filtersOf = (q: Record<string, string>): VideoFilters => {
    const f: VideoFilters = {};
    for (const k of ['person', 'model', 'from', 'to', 'q'] as const)
      if (q[k]) f[k] = q[k].slice(0, 200);
    return f;
  };

  const numberOf = (text: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number.parseInt(text ?? '', 10);
    return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : fallback;
  };

  const router = Router({ ignoreTrailingSlash: true });
  const on = (method: 'GET' | 'POST', path: string, h: Handler) =>
    router.on(method, path, h as unknown as Router.Handler<Router.HTTPVersion.V1>);

  on('GET', '/dashboard/signin', (_req, res, { query }) => signIn.show(res, query.token ?? ''));
  on('POST', '/dashboard/signin', (req, res) => signIn.signIn(req, res));
  on('POST', '/dashboard/signout', (_req, res) => signIn.signOut(res));
  on(
    'GET',
    '/dashboard',
    signedIn(async (_req, res, { viewer, query }) => {
      const filters = filtersOf(query);
      const videos = await data.videos(viewer!, filters, { number: numberOf(query.page, 1) });
      page(res, 'gallery', viewer, 'Gallery', {
        ...videos,
        filters,
        pageLink: (n: number) =>
          `/dashboard?${new URLSearchParams({ ...filters, page: String(n) }).toString()}`,
      });
    }),
  );
  on(
    'GET',
    '/dashboard/queue',
    signedIn(async (_req, res, { viewer }) => {
      page(res, 'queue', viewer, 'Queue', { rows: await data.queue(viewer!) });
    }),
  );
  on(
    'GET',
    '/dashboard/spend',
    signedIn(async (_req, res, { viewer }) => {
      const spend = await data.spend(viewer!, o.currency);
      page(res, 'spend', viewer, 'Spend', {
        spend,
        spendJson: scriptJson(spend),
        budgets: await o.budgets(viewer!),
      });
    }),
  );
  on(
    'GET',
    '/dashboard/api/videos',
    signedIn(async (_req, res, { viewer, query }) => {
      const videos = await data.videos(viewer!, filtersOf(query), {
        number: numberOf(query.page, 1),
        size: numberOf(query.limit, API_PAGE_SIZE, 500),
      });
      sendJson(res, 200, videos.rows);
    }, true),
  );
  on(
    'GET',
    '/dashboard/api/videos/:id',
    signedIn(async (_req, res, { viewer, params }) => {
      const row = await data.video(viewer!, params.id ?? '');
      return row ? sendJson(res, 200, row) : sendJson(res, 404, { error: 'not found' });
    }, true),
  );
  on(
    'GET',
    '/dashboard/api/queue',
    signedIn(async (_req, res, { viewer }) => {
      sendJson(res, 200, await data.queue(viewer!));
    }, true),
  );
  on(
    'GET',
    '/dashboard/api/queue/events',
    signedIn((_req, res, { viewer }) => {
      events.open(res, viewer!);
    }, true),
  );
  on(
    'GET',
    '/dashboard/api/spend',
    signedIn(async (_req, res, { viewer }) => {
      sendJson(res, 200, await data.spend(viewer!, o.currency));
    }, true),
  );
  on(
    'GET',
    '/dashboard/media/:file',
    signedIn((req, res, { viewer, params }) =>
      serveTeamVideo(req, res, viewer!, params.file ?? '', data, o.dataDir),
    ),
  );
  on('GET', '/dashboard/static/:file', (_req, res, { params }) =>
    staticFile(res, params.file ?? ''),
  );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.local');
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const found = router.find(method as 'GET', url.pathname);
    if (!found) return sendJson(res, 404, { error: 'not found' });
    const query = Object.fromEntries(url.searchParams);
    await (found.handler as unknown as Handler)(req, res, { params: found.params, query });
  };
  return {
    routes: [
      { method: 'GET', path: '/dashboard', handle },
      { method: 'GET', path: '/dashboard/', handle },
      { method: 'POST', path: '/dashboard/signin', handle },
      { method: 'POST', path: '/dashboard/signout', handle },
    ],
    stop: () => {
      unsubscribe();
      events.closeAll();
    },
  };
}
