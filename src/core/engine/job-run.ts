import type { Logger } from 'pino';
import type { Clock } from '../clock.js';

/** Why a run was aborted; only `cancel` comes with a state change (made by `cancel()` itself). */
export type StopReason = 'cancel' | 'shutdown';

/** Callback hints may query a task at once, but never more than once per second. */
export const HINT_MIN_GAP_MS = 1_000;

/** One job being worked on in this process: its abort handle and callback-hint wake-up. */
export class JobRun {
  readonly controller = new AbortController();
  /** Clock time of the last query of this task (0 = never). */
  lastQueryAt = 0;
  done: Promise<void> = Promise.resolve();
  private hinted = false;
  private wakeSleep: (() => void) | undefined;
  private wakeOnCallbacks: (() => void) | undefined;

  constructor(
    readonly jobId: string,
    readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: StopReason): void {
    this.controller.abort(reason);
  }

  /** A MiniMax callback said the task changed: query it soon. */
  hint(): void {
    this.hinted = true;
    this.wakeSleep?.();
  }

  /** Waits `ms` before the next query, or less when a hint arrives. Throws when the run stops. */
  async waitBeforeQuery(ms: number): Promise<void> {
    await this.pause(ms);
    if (this.hinted) {
      this.hinted = false;
      const gapMs = this.lastQueryAt + HINT_MIN_GAP_MS - this.clock.now();
      if (gapMs > 0) await this.clock.sleep(gapMs, this.signal);
    }
  }

  /** A callback reached the bot: ends a pause that waits for the first one. */
  callbacksSeen(): void {
    this.wakeOnCallbacks?.();
  }

  /**
   * Sleeps up to `ms`; a hint ends it early and stays pending for `waitBeforeQuery`. With
   * `untilCallbacks`, the first callback seen by the engine (`callbacksSeen`) ends it too.
   */
  async pause(ms: number, options: { untilCallbacks?: boolean } = {}): Promise<void> {
    if (this.hinted) return;
    // One controller per wait, linked by hand: AbortSignal.any on a long-lived signal keeps
    // every composed signal reachable until the run ends (thousands per long job).
    const wait = new AbortController();
    const onStop = () => wait.abort();
    this.signal.addEventListener('abort', onStop, { once: true });
    this.wakeSleep = () => wait.abort();
    if (options.untilCallbacks) this.wakeOnCallbacks = () => wait.abort();
    try {
      await this.clock.sleep(ms, wait.signal);
    } catch {
      // Woken early: by a hint or a first callback (carry on) or by stop (thrown below).
    } finally {
      this.wakeSleep = undefined;
      this.wakeOnCallbacks = undefined;
      this.signal.removeEventListener('abort', onStop);
    }
    this.signal.throwIfAborted();
  }

  sleep(ms: number): Promise<void> {
    return this.clock.sleep(ms, this.signal);
  }
}
