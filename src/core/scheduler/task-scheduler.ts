/** One waiting job, as the scheduler sees it. */
export interface QueueEntry {
  jobId: string;
  /** Fairness key of the requester, e.g. `<platform>:123`. */
  userKey: string;
  /** Fairness key of the channel, e.g. `<platform>:456`. */
  channelKey: string;
  /** Creation time of the job (epoch ms); entries are expected to be enqueued in this order. */
  createdAt: number;
}

/**
 * Caps task creations (MINIMAX_RPM). Async so a Redis-backed gate can share one budget between
 * instances.
 */
export interface RateGate {
  /** Takes one create if the window allows it and answers 0; otherwise answers how long to wait (ms). */
  tryAcquire(): Promise<number>;
  /** Waits until one create fits, then takes it. Rejects with the signal's reason when aborted. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Holds every create until `untilMs` (epoch ms), e.g. after MiniMax answered 1002. */
  pauseUntil(untilMs: number): void;
}

/**
 * Called when a queued job reaches its turn: an active slot is free and one create was taken from
 * the gate. The job holds its slot until the returned promise settles.
 */
export type Dispatch = (jobId: string) => Promise<void>;

export type PositionsListener = (positions: ReadonlyMap<string, number>) => void;

/**
 * The queue port: fair order, MAX_ACTIVE_JOBS and the create rate. `FairScheduler` implements it
 * in memory for one process; a BullMQ/Redis implementation can replace it for many instances
 * without the engine noticing.
 */
export interface TaskScheduler {
  start(dispatch: Dispatch): Promise<void>;
  /** Stops dispatching and aborts its own waits; does not wait for dispatched jobs. */
  stop(): Promise<void>;
  enqueue(entry: QueueEntry): Promise<void>;
  /** Takes a waiting job out of the queue (cancel); true when it was waiting. */
  remove(jobId: string): Promise<boolean>;
  /** 1-based positions of waiting jobs in the order they will be dispatched. */
  positions(): Promise<ReadonlyMap<string, number>>;
  /** Called after every change of the waiting order; returns an unsubscribe function. */
  onPositions(listener: PositionsListener): () => void;
  /** A job resumed past the queue (generating, downloading, ...) occupies a slot while `work` runs. */
  hold(jobId: string, work: Promise<unknown>): void;
  /** Jobs currently holding a slot. */
  activeCount(): number;
  /** The gate of task creations; the engine also uses it for create retries. */
  readonly createGate: RateGate;
  /**
   * True when several instances share this queue and the job store (BullMQ on Redis). The engine
   * then reads job records from the store rather than its cache, and leaves the recovery of
   * unfinished jobs to the scheduler: it re-enqueues them at start (a no-op for jobs the queue
   * still holds) instead of resuming them itself, since another live instance may be running them.
   * `dispatch` may then be called for a job past the queue, which continues from its stored state.
   */
  readonly shared?: boolean;
}
