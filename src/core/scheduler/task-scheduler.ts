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
 * Caps task creations (MINIMAX_RPM) as MiniMax counts them, at arrival. A create may reach MiniMax
 * any time between being sent and its answer, so each one holds a reservation from before it is
 * sent until a full window after its answer came back: then no window at MiniMax's side can hold
 * more than the limit, however late the event loop sends it. Async so a Redis-backed gate can
 * share one budget between instances.
 */
export interface RateGate {
  /**
   * Reserves one create for `key` (a job id) if the window allows it and answers 0; otherwise
   * answers how long to wait (ms). A key that already holds an unanswered reservation on this gate
   * keeps it (answers 0 and renews its lease), so the scheduler's reservation carries on to the send.
   */
  tryAcquire(key: string): Promise<number>;
  /** Waits until one create fits, then reserves it. Rejects with the signal's reason when aborted. */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
  /** The create of `key` got an answer (of any kind) at `answeredAt`: it counts until a window later. */
  settle(key: string, answeredAt: number): Promise<void>;
  /** The create of `key` was never sent or certainly never reached MiniMax: frees its reservation. */
  release(key: string): Promise<void>;
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
   * A job found unfinished in the store at start, past the queue (generating, downloading...).
   * The in-process scheduler owns every job of its store, so it runs `continueHere` now in a slot.
   * A shared queue only re-enqueues the entry (a no-op while a live instance still holds it):
   * the job continues where its owner is gone, through `dispatch` of a job past the queue, which
   * resumes from the stored state. The engine never needs to know which kind it has.
   */
  recover(entry: QueueEntry, continueHere: () => Promise<void>): Promise<void>;
}
