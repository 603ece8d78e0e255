import { existsSync } from 'node:fs';
import type { Job, JobState } from '../core/jobs/job.js';
import type { JobStore } from '../core/jobs/job-store.js';
import { videoFilePath } from '../server/video-route.js';
import type { Viewer } from './session.js';

/** How many of a team's newest jobs the dashboard reads (gallery and 30-day spend). */
export const TEAM_JOB_LIMIT = 2_000;
/** Videos per gallery page: each card's player asks for the file's first bytes. */
export const PAGE_SIZE = 24;
const DAY_MS = 86_400_000;

export interface VideoRow {
  id: string;
  prompt: string;
  authorId: string;
  author: string;
  model: string;
  seconds?: number;
  resolution?: string;
  cost?: number;
  currency?: string;
  createdAt: number;
  /** Where the video was posted (message link, file permalink, served link). */
  chatLink?: string;
  /** The MP4 is still in DATA_DIR, so the page can play it. */
  playable: boolean;
}

export interface VideoFilters {
  person?: string;
  model?: string;
  /** YYYY-MM-DD, UTC, inclusive. */
  from?: string;
  to?: string;
  q?: string;
}

export interface VideoPage {
  rows: VideoRow[];
  /** Everyone with a finished video ([userId, name]) and every model used: the filters' choices. */
  people: [string, string][];
  models: string[];
  /** Videos matching the filters, on all pages. */
  total: number;
  /** The 1-based page shown, and how many there are (at least 1). */
  page: number;
  pages: number;
}

export interface QueueRow {
  id: string;
  state: JobState;
  position?: number;
  etaSeconds?: number;
  prompt: string;
  author: string;
  model: string;
  since: number;
}

export interface SpendData {
  currency: string;
  /** The 30 days shown, oldest first, YYYY-MM-DD (UTC). */
  days: string[];
  /** Cost per day by person and by model, aligned with `days`. */
  byPerson: { label: string; values: number[] }[];
  byModel: { label: string; values: number[] }[];
  total: number;
}

const sameTeam = (job: Job, viewer: Viewer) =>
  job.origin.platform === viewer.platform && job.origin.workspaceId === viewer.workspaceId;

const nameOf = (job: Job) => job.origin.userName ?? job.origin.userId;

/** What one team's people may see, read from the job store; nothing of another team. */
export class TeamData {
  /** Latest queue position and expected end (epoch ms) the engine announced, per job. */
  private readonly live = new Map<string, { position?: number; etaAt?: number }>();

  constructor(
    private readonly store: Pick<JobStore, 'get' | 'listByTeam' | 'listActive'>,
    private readonly dataDir: string,
    private readonly now: () => number,
  ) {}

  /** Progress the engine announced (queue position, time left at `at`), for the queue page. */
  noteProgress(
    jobId: string,
    info: { position?: number; remainingMs?: number; at: number; done: boolean },
  ) {
    if (info.done) return void this.live.delete(jobId);
    const before = this.live.get(jobId);
    const position = info.position ?? before?.position;
    this.live.set(jobId, {
      ...(position !== undefined ? { position } : {}),
      ...(info.remainingMs !== undefined ? { etaAt: info.at + info.remainingMs } : {}),
    });
  }

  /** A job of the viewer's team, or undefined (another team's id looks like an unknown one). */
  async job(viewer: Viewer, id: string): Promise<Job | undefined> {
    const job = await this.store.get(id);
    return job && sameTeam(job, viewer) ? job : undefined;
  }

  /** One finished video of the viewer's team, or undefined (another team's looks unknown). */
  async video(viewer: Viewer, id: string): Promise<VideoRow | undefined> {
    const job = await this.job(viewer, id);
    return job?.state === 'done' ? this.rowOf(job) : undefined;
  }

  /** The team's finished videos matching `filters`, newest first, one page of them. */
  async videos(
    viewer: Viewer,
    filters: VideoFilters = {},
    page: { number?: number; size?: number } = {},
  ): Promise<VideoPage> {
    const done = (await this.teamJobs(viewer)).filter((j) => j.state === 'done');
    const people = new Map(done.map((j) => [j.origin.userId, nameOf(j)]));
    const models = [...new Set(done.map((j) => j.request.model))].sort();
    const from = filters.from ? Date.parse(`${filters.from}T00:00:00Z`) : undefined;
    const to = filters.to ? Date.parse(`${filters.to}T00:00:00Z`) + DAY_MS : undefined;
    const q = filters.q?.trim().toLowerCase();
    const matching = done
      .filter((j) => !filters.person || j.origin.userId === filters.person)
      .filter((j) => !filters.model || j.request.model === filters.model)
      .filter((j) => from === undefined || Number.isNaN(from) || j.createdAt >= from)
      .filter((j) => to === undefined || Number.isNaN(to) || j.createdAt < to)
      .filter((j) => !q || j.request.prompt.toLowerCase().includes(q));
    const size = Math.max(1, page.size ?? PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(matching.length / size));
    const number = Math.min(Math.max(1, Math.floor(page.number ?? 1)), pages);
    // Only the page's own rows look at the disk (whether the MP4 is still there).
    const rows = matching.slice((number - 1) * size, number * size).map((j) => this.rowOf(j));
    return {
      rows,
      people: [...people.entries()],
      models,
      total: matching.length,
      page: number,
      pages,
    };
  }

  async queue(viewer: Viewer): Promise<QueueRow[]> {
    const active = (await this.store.listActive()).filter((j) => sameTeam(j, viewer));
    const now = this.now();
    return active
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((j) => {
        const live = this.live.get(j.id);
        return {
          id: j.id,
          state: j.state,
          ...(j.state === 'queued' && live?.position !== undefined
            ? { position: live.position }
            : {}),
          ...(live?.etaAt !== undefined
            ? { etaSeconds: Math.max(0, Math.round((live.etaAt - now) / 1000)) }
            : {}),
          prompt: j.request.prompt,
          author: nameOf(j),
          model: j.request.model,
          since: j.createdAt,
        };
      });
  }

  /** Cost per day over 30 days; admins see everyone's, others only their own jobs. */
  async spend(viewer: Viewer, currency: string): Promise<SpendData> {
    const today = Math.floor(this.now() / DAY_MS);
    const days = Array.from({ length: 30 }, (_, i) => dayOf((today - 29 + i) * DAY_MS));
    const index = new Map(days.map((d, i) => [d, i]));
    const byPerson = new Map<string, number[]>();
    const byModel = new Map<string, number[]>();
    let total = 0;
    const add = (map: Map<string, number[]>, label: string, day: number, amount: number) => {
      const values = map.get(label) ?? Array<number>(30).fill(0);
      values[day] = round((values[day] ?? 0) + amount);
      map.set(label, values);
    };
    for (const job of await this.teamJobs(viewer)) {
      if (!viewer.isAdmin && job.origin.userId !== viewer.userId) continue;
      const amount = job.cost?.actual;
      const day = index.get(dayOf(job.finishedAt ?? job.createdAt));
      if (!amount || day === undefined) continue;
      add(byPerson, nameOf(job), day, amount);
      add(byModel, job.request.model, day, amount);
      total = round(total + amount);
    }
    const series = (map: Map<string, number[]>) =>
      [...map.entries()].map(([label, values]) => ({ label, values }));
    return { currency, days, byPerson: series(byPerson), byModel: series(byModel), total };
  }

  private teamJobs(viewer: Viewer): Promise<Job[]> {
    return this.store.listByTeam(viewer.platform, viewer.workspaceId, TEAM_JOB_LIMIT);
  }

  private rowOf(job: Job): VideoRow {
    const cost = job.cost?.actual ?? job.cost?.estimate;
    return {
      id: job.id,
      prompt: job.request.prompt,
      authorId: job.origin.userId,
      author: nameOf(job),
      model: job.request.model,
      ...(job.request.duration !== undefined ? { seconds: job.request.duration } : {}),
      ...(job.request.resolution ? { resolution: job.request.resolution } : {}),
      ...(cost !== undefined ? { cost } : {}),
      ...(job.cost ? { currency: job.cost.currency } : {}),
      createdAt: job.createdAt,
      ...(job.resultUrl && isWebLink(job.resultUrl) ? { chatLink: job.resultUrl } : {}),
      playable: existsSync(videoFilePath(this.dataDir, job.id)),
    };
  }
}

/** Only http(s) links become an href (a stored value never becomes a `javascript:` link). */
const isWebLink = (url: string) => /^https?:\/\//i.test(url);

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const round = (n: number) => Math.round(n * 10_000) / 10_000;
