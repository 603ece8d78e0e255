import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Deliverer } from '../delivery.js';
import { BotError, InputError } from '../errors.js';
import { isTerminal, type Job, type JobOrigin, type Platform } from '../jobs/job.js';
import type { JobStore } from '../jobs/job-store.js';
import type { Startable } from '../lifecycle.js';
import type { MinimaxClient } from '../minimax/types.js';
import type { ProgressListener } from '../progress.js';
import { validateRequest } from '../request.js';
import type { RawVideoRequest, VideoRequest } from '../request-types.js';
import { FairScheduler, type TaskScheduler } from '../scheduler.js';
import type {
  AdmissionTicket,
  CancelOutcome,
  SubmitOptions,
  UserStatus,
  VideoService,
} from '../video-service.js';
import { Dedupe } from './dedupe.js';
import { ImageRetention } from './image-retention.js';
import { type EnginePolicy, entryOf, JobAdmission } from './job-admission.js';
import { ProgressHub } from './progress-hub.js';
import { requeueJobs, resumeJobs } from './resume.js';
import type { EngineConfig, Estimator, RunContext } from './run-context.js';
import { RunRegistry } from './run-registry.js';
import { InvalidTransitionError, JobNotFoundError, JobRecords } from './transition.js';

export type { EnginePolicy } from './job-admission.js';

export interface JobEngineOptions {
  config: EngineConfig;
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
  /** Default: the in-process FairScheduler over MAX_ACTIVE_JOBS and MINIMAX_RPM. */
  scheduler?: TaskScheduler;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Job id generator; default 128 random bits, base64url (the id is also the video link). */
  newId?: () => string;
  /** How long stop() waits for in-flight creates and deliveries, in ms. Default 30 s. */
  stopGraceMs?: number;
}

const CANCELLABLE = new Set(['queued', 'submitting', 'generating', 'downloading']);
const DAY_MS = 86_400_000;

/** The VideoService: submit, queue, create, poll, download, deliver — restart-safe. */
export class JobEngine implements VideoService, Startable {
  private readonly ctx: RunContext;
  private readonly scheduler: TaskScheduler;
  private readonly hub: ProgressHub;
  private readonly records: JobRecords;
  private readonly retention: ImageRetention;
  private readonly dedupe: Dedupe;
  private readonly admission: JobAdmission;
  private readonly runs: RunRegistry;
  private readonly deliverers = new Map<Platform, Deliverer>();
  private lastPositions = new Map<string, number>();
  private unsubscribePositions: (() => void) | undefined;
  private readonly sweeper = new AbortController();
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
    this.retention = new ImageRetention({ store, clock, logger });
    this.records = new JobRecords({
      store,
      clock,
      logger,
      hub: this.hub,
      onTerminal: (job) => {
        this.retention.schedule(job);
        this.settleQuota(job);
      },
      shared: options.scheduler?.shared === true,
    });
    this.scheduler =
      options.scheduler ??
      new FairScheduler({
        clock,
        logger,
        maxActive: config.MAX_ACTIVE_JOBS,
        createsPerMinute: config.MINIMAX_RPM,
      });
    this.dedupe = new Dedupe({ store, clock, load: (id) => this.records.get(id) });
    this.ctx = {
      config,
      store,
      client: options.client,
      clock,
      logger,
      estimator: options.estimator,
      records: this.records,
      hub: this.hub,
      gate: this.scheduler.createGate,
      dataDir: options.dataDir,
      ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}),
      deliverers: this.deliverers,
      callbacks: { lastSeenAt: 0 },
      random: options.random ?? Math.random,
    };
    this.runs = new RunRegistry(this.ctx);
    this.admission = new JobAdmission({
      ctx: this.ctx,
      scheduler: this.scheduler,
      retention: this.retention,
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.newId ? { newId: options.newId } : {}),
    });
  }

  /** Resumes every unfinished job (see resume.ts), then starts taking jobs from the queue. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.unsubscribePositions = this.scheduler.onPositions((p) => this.publishPositions(p));
    const resumed = this.scheduler.shared
      ? await requeueJobs(this.ctx, (job) => this.scheduler.enqueue(entryOf(job)))
      : await resumeJobs(this.ctx, {
          enqueue: (job) => this.scheduler.enqueue(entryOf(job)),
          run: (job) => this.scheduler.hold(job.id, this.runs.resume(job.id)),
        });
    if (resumed > 0) this.ctx.logger.info({ resumed }, 'resumed unfinished jobs');
    await this.scheduler.start((jobId) =>
      this.stopping ? Promise.resolve() : this.runs.dispatch(jobId),
    );
    void this.sweepImages();
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
      const { request, images } = validateRequest(raw);
      return this.admission.admit(request, images, origin, await hold());
    });
  }

  async resubmit(
    jobId: string,
    origin: JobOrigin,
    options: SubmitOptions & { promptOptimizer?: boolean } = {},
  ): Promise<Job> {
    return this.withTicket(origin, options, async (hold) => {
      const source = await this.records.get(jobId);
      if (!source) {
        throw new InputError(
          'That video is no longer available; please send the request again.',
          'job_not_found',
          '该视频已不可用，请重新发送请求。',
        );
      }
      const images = await this.admission.imagesOf(source);
      const request: VideoRequest = { ...source.request };
      if (options.promptOptimizer !== undefined) request.promptOptimizer = options.promptOptimizer;
      return this.admission.admit(request, images, origin, await hold());
    });
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
   * MiniMax has no cancel endpoint: a task already created keeps running (and is billed) at
   * MiniMax; cancelling only stops this bot from polling, downloading and posting it.
   */
  async cancel(
    jobId: string,
    byUserId: string,
    options: { isAdmin?: boolean } = {},
  ): Promise<CancelOutcome> {
    const job = await this.records.get(jobId);
    if (!job) return 'not_found';
    if (job.origin.userId !== byUserId && !options.isAdmin) return 'not_allowed';
    if (!CANCELLABLE.has(job.state)) return 'too_late';
    try {
      await this.records.transition(jobId, 'cancelled', `cancelled by ${byUserId}`, {
        cancelRequestedBy: byUserId,
      });
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
    // With a shared queue another instance may have moved the job on: trust the store there.
    const active = jobs
      .map((j) => (this.scheduler.shared ? j : (this.records.cached(j.id) ?? j)))
      .filter((j) => !isTerminal(j.state));
    const status: UserStatus = { active, resetsAt: (Math.floor(now / DAY_MS) + 1) * DAY_MS };
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
    this.noteCallbackReceived();
    return this.runs.hint(taskId);
  }

  /**
   * Any MiniMax callback (challenge, progress) reached us: callbacks work for this deployment, so
   * polling can fall back to a sparse safety net.
   */
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
    const done = policy
      .settle(job.id, spent)
      .catch((err: unknown) =>
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
    // With a shared queue, jobs submitted here may finish on another instance and would stay
    // cached forever: forget the ones that neither wait in the queue nor run here.
    if (this.scheduler.shared) {
      this.records.forgetUnless(
        (jobId) => positions.has(jobId) || this.runs.get(jobId) !== undefined,
      );
    }
  }

  private async sweepImages(): Promise<void> {
    const signal = this.sweeper.signal;
    while (!signal.aborted) {
      await this.retention.sweep();
      await this.ctx.clock.sleep(3_600_000, signal).catch(() => undefined);
    }
  }

  private assertOpen(): void {
    if (this.stopping) {
      throw new BotError({
        code: 'shutting_down',
        userMessage: 'The bot is restarting; please try again in a minute.',
        userMessageZh: '机器人正在重启，请一分钟后再试。',
      });
    }
  }
}
