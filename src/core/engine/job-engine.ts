import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Deliverer } from '../delivery.js';
import { DiskGuard } from '../disk-guard.js';
import { BotError } from '../errors.js';
import { upscaleOf } from '../h3-upscale.js';
import { prepareImages } from '../image-prep.js';
import { FileImageKeeper, type ImageKeeper } from '../jobs/image-keeper.js';
import { isTerminal, type Job, type JobCost, type JobOrigin, type Platform } from '../jobs/job.js';
import type { JobStore } from '../jobs/job-store.js';
import type { Startable } from '../lifecycle.js';
import { withProbes } from '../media-probe.js';
import type { MinimaxClient } from '../minimax/types.js';
import { estimateOf, finalCost, isCharged } from '../pricing/job-cost.js';
import { DEFAULT_PRICES, type PriceTable, toUnits } from '../pricing/price-table.js';
import type { ProgressListener } from '../progress.js';
import { validateRequest, withDefaultModel } from '../request.js';
import type { RawVideoRequest, VideoRequest } from '../request-types.js';
import { createMemoryQueryGate, type QueryGate } from '../scheduler/query-gate.js';
import type { TaskScheduler } from '../scheduler/task-scheduler.js';
import { varyRequest } from '../variation.js';
import type {
  AdmissionTicket,
  CancelOptions,
  CancelOutcome,
  SubmitOptions,
  UserStatus,
  VideoService,
} from '../video-service.js';
import { ClaimKeeper, newOwnerId } from './claim-keeper.js';
import { uploadClips } from './clip-upload.js';
import { Dedupe } from './dedupe.js';
import { ImageRetention } from './image-retention.js';
import { type EnginePolicy, entryOf, JobAdmission } from './job-admission.js';
import { assertMayResubmit, isSameTeam, sourceGone } from './ownership.js';
import { ProgressHub } from './progress-hub.js';
import { recoverJobs } from './resume.js';
import type { EngineConfig, Estimator, RunContext } from './run-context.js';
import { RunRegistry } from './run-registry.js';
import { takeOverOrphans } from './takeover.js';
import { InvalidTransitionError, JobNotFoundError, JobRecords } from './transition.js';
import { cancelAtMinimax } from './v2-steps.js';
import { VideoJanitor } from './video-janitor.js';

export type { EnginePolicy } from './job-admission.js';

export interface JobEngineOptions {
  config: EngineConfig;
  /** What MiniMax charges (PRICES_FILE or the built-in table). */
  prices?: PriceTable;
  store: JobStore;
  client: MinimaxClient;
  clock: Clock;
  logger: Logger;
  estimator: Estimator;
  policy?: EnginePolicy;
  /** DATA_DIR; videos go to `<dataDir>/videos/<jobId>.mp4`. */
  dataDir: string;
  /** Sent as `callback_url` on creates (PUBLIC_URL + the callback path), if reachable. */
  callbackUrl?: string;
  /** Fair order, MAX_ACTIVE_JOBS and MINIMAX_RPM: in-process or shared (see createBackend). */
  scheduler: TaskScheduler;
  /**
   * Recover at start only the unfinished jobs of these platforms. Default: all. `generate` runs
   * without chat adapters, so it must leave chat jobs to `serve` instead of finishing them
   * where no one sees them.
   */
  resumePlatforms?: readonly Platform[];
  /** Cap on status queries; default an in-process gate of MINIMAX_QPS (Redis: the backend's). */
  queryGate?: QueryGate;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Job id generator; default 128 random bits, base64url (the id is also the video link). */
  newId?: () => string;
  /** How long stop() waits for in-flight creates and deliveries, in ms. Default 30 s. */
  stopGraceMs?: number;
  /**
   * Refuses new jobs while DATA_DIR is nearly full. Default: one over fs.statfs and
   * MIN_FREE_DISK_MB; main.ts passes its own so /readyz and the metric share it.
   */
  diskGuard?: DiskGuard;
  /**
   * Input images. Default: files under DATA_DIR, or through the store with a size cap when the
   * scheduler is shared (Redis), where another instance may send the create.
   */
  images?: ImageKeeper;
  /** How often old videos and images are swept, in ms. Default 1 h. */
  sweepEveryMs?: number;
  /** This process's name in job claims; default host, pid and a random part. */
  owner?: string;
  /** How long a job's claim outlives its holder's last renewal. Default 12 s. */
  claimLeaseMs?: number;
}

const CANCELLABLE = new Set(['queued', 'submitting', 'generating', 'downloading']);
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The VideoService: submit, queue, create, poll, download, deliver — restart-safe. */
/** Finished videos `/video status` lists with their links. */
const RECENT_SHOWN = 3;

export class JobEngine implements VideoService, Startable {
  private readonly ctx: RunContext;
  private readonly scheduler: TaskScheduler;
  private readonly hub: ProgressHub;
  private readonly records: JobRecords;
  private readonly retention: ImageRetention;
  private readonly dedupe: Dedupe;
  private readonly admission: JobAdmission;
  private readonly runs: RunRegistry;
  private readonly claims: ClaimKeeper;
  private readonly prices: PriceTable;
  private readonly deliverers = new Map<Platform, Deliverer>();
  private lastPositions = new Map<string, number>();
  private unsubscribePositions: (() => void) | undefined;
  private readonly sweeper = new AbortController();
  private readonly disk: DiskGuard;
  private readonly janitor: VideoJanitor;
  private readonly settling = new Set<Promise<void>>();
  private started = false;
  private stopping = false;

  constructor(private readonly options: JobEngineOptions) {
    const { config, clock, store } = options;
    const logger = options.logger.child({ component: 'engine' });
    this.hub = new ProgressHub({
      clock,
      logger,
      estimateMs: (job) => options.estimator.estimateMs(job.request),
    });
    // The composition root picks the keeper with the backend; files suit one host.
    const images = options.images ?? new FileImageKeeper(options.dataDir);
    this.retention = new ImageRetention({ store, images, clock, logger });
    this.prices = options.prices ?? DEFAULT_PRICES;
    this.records = new JobRecords({
      store,
      clock,
      logger,
      hub: this.hub,
      onTerminal: (job) => {
        this.retention.schedule(job);
        this.settleQuota(job);
      },
      onFinish: (job) => finalCost(job, this.prices),
    });
    this.scheduler = options.scheduler;
    this.dedupe = new Dedupe({ store, clock, load: (id) => this.records.get(id) });
    this.ctx = {
      config,
      store,
      images,
      client: options.client,
      clock,
      logger,
      estimator: options.estimator,
      records: this.records,
      hub: this.hub,
      gate: this.scheduler.createGate,
      queries: options.queryGate ?? createMemoryQueryGate(config.MINIMAX_QPS, clock),
      dataDir: options.dataDir,
      ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}),
      deliverers: this.deliverers,
      callbacks: { lastSeenAt: 0 },
      random: options.random ?? Math.random,
    };
    this.claims = new ClaimKeeper({
      claims: store.claims,
      clock,
      logger,
      owner: options.owner ?? newOwnerId(),
      ...(options.claimLeaseMs ? { leaseMs: options.claimLeaseMs } : {}),
    });
    this.runs = new RunRegistry(
      this.ctx,
      (job) => this.scheduler.enqueue(entryOf(job)),
      this.claims,
    );
    this.disk =
      options.diskGuard ??
      new DiskGuard({
        path: options.dataDir,
        minFreeBytes: config.MIN_FREE_DISK_MB * 1_048_576,
        clock,
      });
    this.janitor = new VideoJanitor({
      dataDir: options.dataDir,
      jobs: store,
      clock,
      logger,
      retentionMs: (config.VIDEO_RETENTION_H ?? config.VIDEO_LINK_TTL_H) * HOUR_MS,
      linkTtlMs: config.PUBLIC_URL ? config.VIDEO_LINK_TTL_H * HOUR_MS : 0,
    });
    this.admission = new JobAdmission({
      ctx: this.ctx,
      scheduler: this.scheduler,
      retention: this.retention,
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.newId ? { newId: options.newId } : {}),
    });
  }

  /** Recovers every unfinished job (see resume.ts), then starts taking jobs from the queue. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.unsubscribePositions = this.scheduler.onPositions((p) => this.publishPositions(p));
    await this.janitor.removeLeftovers();
    const resumed = await recoverJobs(this.ctx, {
      scheduler: this.scheduler,
      continueJob: (jobId) => this.runs.continue(jobId),
      ...(this.options.resumePlatforms ? { platforms: this.options.resumePlatforms } : {}),
    });
    if (resumed > 0) this.ctx.logger.info({ resumed }, 'resumed unfinished jobs');
    await this.scheduler.start((jobId) =>
      this.stopping ? Promise.resolve() : this.runs.dispatch(jobId),
    );
    void this.sweepLoop();
    void this.claims.keepAlive(this.sweeper.signal);
    void this.takeoverLoop();
  }

  /**
   * Stops taking work and leaves every job resumable: sleeps and downloads are aborted without a
   * state change; a create already sent is awaited so its task id is saved.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.scheduler.stop();
    this.sweeper.abort();
    await this.runs.stopAll(this.options.stopGraceMs ?? 30_000);
    await this.records.settled();
    await Promise.all(this.settling);
    await this.retention.settled();
    this.unsubscribePositions?.();
  }

  async admit(origin: JobOrigin): Promise<AdmissionTicket> {
    this.assertOpen();
    await this.disk.assertRoom();
    const jobId = await this.admission.hold(origin);
    let released = false;
    return {
      jobId,
      release: async () => {
        if (released) return;
        released = true;
        await this.admission.release(jobId);
      },
    };
  }

  async submit(raw: RawVideoRequest, origin: JobOrigin, options: SubmitOptions = {}): Promise<Job> {
    return this.withTicket(origin, options, async (hold) => {
      const { request, images, clips } = validateRequest(
        await withProbes(withDefaultModel(raw, this.ctx.config.DEFAULT_MODEL)),
      );
      const holdId = await this.holdSpend(request, origin, await hold());
      if (clips) request.clips = await uploadClips(this.ctx, clips);
      return this.admission.admit(
        request,
        await prepareImages(images),
        origin,
        holdId,
        this.estimate(request),
      );
    });
  }

  async resubmit(
    jobId: string,
    origin: JobOrigin,
    options: SubmitOptions & { promptOptimizer?: boolean; vary?: boolean; upscale?: boolean } = {},
  ): Promise<Job> {
    return this.withTicket(origin, options, async (hold) => {
      const source = await this.records.get(jobId);
      if (!source) throw sourceGone();
      assertMayResubmit(source, origin);
      // "Upscale to 2K" re-renders the finished video itself: no images, no new prompt.
      if (options.upscale) {
        const request = upscaleOf(source);
        const holdId = await this.holdSpend(request, origin, await hold());
        return this.admission.admit(request, {}, origin, holdId, this.estimate(request));
      }
      const images = await this.admission.imagesOf(source);
      const { variation: _, ...plain } = source.request;
      const request: VideoRequest = options.vary ? varyRequest(plain).request : plain;
      if (options.promptOptimizer !== undefined) request.promptOptimizer = options.promptOptimizer;
      const holdId = await this.holdSpend(request, origin, await hold());
      return this.admission.admit(request, images, origin, holdId, this.estimate(request));
    });
  }

  private estimate(request: VideoRequest): JobCost | undefined {
    return estimateOf(request, this.prices);
  }

  /** Holds the request's price against the money budgets under the job's hold (issue #14). */
  private async holdSpend(
    request: VideoRequest,
    origin: JobOrigin,
    holdId: string,
  ): Promise<string> {
    const cost = this.estimate(request);
    if (!cost) await this.options.policy?.refuseUnpriced(origin, request.model);
    if (cost)
      await this.options.policy?.reserveSpend(
        origin,
        holdId,
        toUnits(cost.estimate),
        cost.currency,
      );
    return holdId;
  }

  /**
   * Runs `make` once per dedupeKey with a quota hold: the caller's ticket, or one taken when
   * `make` asks for it (after its own checks). A hold that did not become the returned job is
   * given back: the request failed, or a duplicate got the first delivery's job.
   */
  private async withTicket(
    origin: JobOrigin,
    options: SubmitOptions,
    make: (hold: () => Promise<string>) => Promise<Job>,
  ): Promise<Job> {
    let ticket = options.ticket;
    try {
      this.assertOpen();
      const job = await this.dedupe.run(options.dedupeKey, () =>
        make(async () => {
          ticket ??= await this.admit(origin);
          return ticket.jobId;
        }),
      );
      if (ticket && ticket.jobId !== job.id) await ticket.release();
      return job;
    } catch (err) {
      // A job that was stored (only its enqueue failed) keeps the hold: its end settles it.
      if (ticket && !(await this.records.get(ticket.jobId).catch(() => undefined)))
        await ticket.release();
      throw err;
    }
  }

  /**
   * Stops the bot's own work on a job at once. MiniMax V1 has no cancel call: a task already
   * created keeps running and is billed. A MiniMax-H3 task still queued is cancelled at MiniMax
   * free of charge (see cancelAtMinimax); `job.cancelCharged` says which happened.
   */
  async cancel(
    jobId: string,
    byUserId: string,
    options: CancelOptions = {},
  ): Promise<CancelOutcome> {
    const job = await this.records.get(jobId);
    // Without a platform (the CLI, older callers) only the owner/admin rule applies.
    const actor = { platform: options.platform ?? 'cli', workspaceId: options.workspaceId };
    if (!job || !isSameTeam(job, actor)) return 'not_found';
    if (job.origin.userId !== byUserId && !options.isAdmin) return 'not_allowed';
    if (!CANCELLABLE.has(job.state)) return 'too_late';
    // Asked before the state changes, so the cancelled message says at once whether it is
    // billed; a task MiniMax cancelled is seen as cancelled by a racing poll too (poll-step).
    const charged = await cancelAtMinimax(this.ctx, job, this.ctx.logger);
    try {
      await this.records.transition(jobId, 'cancelled', `cancelled by ${byUserId}`, (current) => ({
        cancelRequestedBy: byUserId,
        // The task may have been created since `job` was read: then it is billed.
        cancelCharged: current.taskId && !job.taskId ? true : charged,
      }));
    } catch (err) {
      if (err instanceof InvalidTransitionError) return 'too_late';
      throw err;
    }
    await this.scheduler.remove(jobId);
    this.runs.get(jobId)?.stop('cancel');
    return 'cancelled';
  }

  get(jobId: string): Promise<Job | undefined> {
    return this.records.get(jobId);
  }

  async status(platform: Platform, userId: string): Promise<UserStatus> {
    const now = this.ctx.clock.now();
    const jobs = await this.options.store.listByUser(platform, userId, 50);
    // The store is the truth (another instance may have moved a job on).
    const active = jobs.filter((j) => !isTerminal(j.state));
    const status: UserStatus = { active, resetsAt: (Math.floor(now / DAY_MS) + 1) * DAY_MS };
    // A video delivered somewhere unexpected (a DM, a link after a refused upload) stays findable.
    const recent = jobs
      .filter((j) => j.state === 'done' && j.resultUrl && (j.finishedAt ?? 0) > now - DAY_MS)
      .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
      .slice(0, RECENT_SHOWN);
    if (recent.length > 0) status.recent = recent;
    const remaining = await this.options.policy?.remaining({ platform, userId });
    if (remaining !== undefined) status.remainingToday = remaining;
    return status;
  }

  async updateOriginRef(jobId: string, patch: Record<string, unknown>): Promise<Job | undefined> {
    try {
      return await this.records.update(jobId, (job) => ({
        origin: { ...job.origin, ref: { ...job.origin.ref, ...patch } },
      }));
    } catch (err) {
      if (err instanceof JobNotFoundError) return undefined;
      throw err;
    }
  }

  onProgress(listener: ProgressListener): () => void {
    return this.hub.on(listener);
  }

  registerDeliverer(platform: Platform, deliverer: Deliverer): void {
    this.deliverers.set(platform, deliverer);
  }

  /**
   * A MiniMax callback named this task: query it now (at most once a second). Callbacks are
   * unauthenticated, so this is only a hint; the query decides. Answers whether a job matched.
   */
  notifyTaskUpdate(taskId: string): boolean {
    return this.runs.hint(taskId);
  }

  /**
   * A callback with the bot's secret named `taskId`. When that is a task this process polls, the
   * callbacks demonstrably reach us and polling may fall back to its sparse safety net; anything
   * else (a stranger's POST, a task of another bot) proves nothing. Answers whether it counted.
   */
  noteAuthenticCallback(taskId: string): boolean {
    if (!this.runs.owns(taskId)) return false;
    this.noteCallbackReceived();
    return true;
  }

  /** Callbacks work for this deployment: polling can fall back to a sparse safety net. */
  noteCallbackReceived(): void {
    this.ctx.callbacks.lastSeenAt = this.ctx.clock.now();
    this.runs.callbacksSeen();
  }

  /**
   * A job ended: its videos-in-progress hold is given back, and its daily counts too unless a
   * create may have reached MiniMax (a task id, or a create sent without a certain refusal).
   */
  private settleQuota(job: Job): void {
    const policy = this.options.policy;
    if (!policy) return;
    const spent = job.taskId !== undefined || job.createStartedAt !== undefined;
    // Counts follow "may have reached MiniMax"; money follows "MiniMax bills it".
    const done = Promise.all([
      policy.settle(job.id, spent),
      policy.settleSpend(
        job.id,
        isCharged(job),
        job.cost?.actual !== undefined ? toUnits(job.cost.actual) : undefined,
      ),
    ]).then(
      () => undefined,
      (err: unknown) =>
        this.ctx.logger.error({ err, jobId: job.id }, 'could not settle the quota hold'),
    );
    this.settling.add(done);
    void done.finally(() => this.settling.delete(done));
  }

  private publishPositions(positions: ReadonlyMap<string, number>): void {
    for (const [jobId, position] of positions) {
      if (this.lastPositions.get(jobId) === position) continue;
      const job = this.records.cached(jobId);
      if (job?.state === 'queued') this.hub.emit(job, 'position', { queuePosition: position });
    }
    this.lastPositions = new Map(positions);
    // Jobs submitted here may finish on another instance (shared queue) and would stay cached
    // forever: forget the ones that neither wait in the queue nor run here.
    this.records.forgetUnless(
      (jobId) => positions.has(jobId) || this.runs.get(jobId) !== undefined,
    );
  }

  /** Runs one sweep of old images and videos now (the engine also does it every hour). */
  async sweep(): Promise<void> {
    await this.retention.sweep();
    await this.ctx.store.sweep().catch((err: unknown) => {
      this.ctx.logger.warn({ err }, 'store sweep failed');
    });
    await this.janitor.sweep().catch((err: unknown) => {
      this.ctx.logger.warn({ err }, 'video sweep failed');
    });
  }

  /**
   * Every quarter lease, jobs whose process is gone are taken over (see takeover.ts): a lapsed
   * claim is found at most a lease plus a quarter after its holder's last renewal.
   */
  private async takeoverLoop(): Promise<void> {
    const signal = this.sweeper.signal;
    while (!signal.aborted) {
      await this.ctx.clock.sleep(this.claims.leaseMs / 4, signal).catch(() => undefined);
      if (signal.aborted || this.stopping) return;
      await takeOverOrphans(
        this.ctx,
        this.scheduler,
        this.runs,
        this.options.resumePlatforms,
      ).catch((err: unknown) => this.ctx.logger.warn({ err }, 'takeover of orphaned jobs failed'));
    }
  }

  private async sweepLoop(): Promise<void> {
    const signal = this.sweeper.signal;
    while (!signal.aborted) {
      await this.sweep();
      await this.ctx.clock
        .sleep(this.options.sweepEveryMs ?? HOUR_MS, signal)
        .catch(() => undefined);
    }
  }

  private assertOpen(): void {
    if (this.stopping) {
      throw new BotError({
        code: 'shutting_down',
      });
    }
  }
}
