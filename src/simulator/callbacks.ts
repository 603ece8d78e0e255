import { randomBytes } from 'node:crypto';
import { type TaskRecord, taskStateBody } from './sim-task.js';

/** MiniMax gives the receiver 3 s to echo the challenge (research/minimax-api.md §6). */
const CHALLENGE_TIMEOUT_MS = 3_000;
const UPDATE_TIMEOUT_MS = 5_000;

interface Subscription {
  url: string;
  task: TaskRecord;
  verified: boolean;
  lastStatus: string | undefined;
  /** Posts go out one after another so the receiver sees them in order. */
  chain: Promise<void>;
  /** The posted body; V2 tasks post their query answer's `task`. */
  body: (task: TaskRecord) => Record<string, unknown>;
}

/** Callback statuses are documented in lower case, and failure as `failed`. */
function callbackStatus(status: string): string {
  return status === 'Fail' ? 'failed' : status.toLowerCase();
}

/** Speaks MiniMax's callback protocol: a challenge handshake, then one POST per status change. */
export class CallbackNotifier {
  private readonly subs = new Map<string, Subscription>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly log: (line: string) => void;
  private readonly now: () => number;

  constructor(opts: { log: (line: string) => void; now: () => number }) {
    this.log = opts.log;
    this.now = opts.now;
  }

  /** Starts the handshake and schedules status checks at the timeline's phase boundaries. */
  subscribe(
    task: TaskRecord,
    url: string,
    boundariesMs: number[],
    body?: (task: TaskRecord) => Record<string, unknown>,
  ): void {
    const sub: Subscription = {
      url,
      task,
      verified: false,
      lastStatus: undefined,
      chain: Promise.resolve(),
      body: body ? (t) => ({ task: body(t) }) : (t) => this.bodyOf(t),
    };
    this.subs.set(task.taskId, sub);
    sub.chain = this.verify(sub).then(() => this.check(task.taskId));
    for (const offset of boundariesMs) {
      const wait = Math.max(0, task.createdAt + offset - this.now());
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.check(task.taskId);
      }, wait + 1);
      timer.unref();
      this.timers.add(timer);
    }
  }

  /** Posts the task's state if it changed since the last post. */
  check(taskId: string): void {
    const sub = this.subs.get(taskId);
    if (!sub || this.stopped) return;
    sub.chain = sub.chain.then(async () => {
      if (!sub.verified || this.stopped) return;
      const status = sub.task.cancelled ? 'cancelled' : sub.task.status;
      if (status === sub.lastStatus) return;
      sub.lastStatus = status;
      await this.post(sub.url, sub.body(sub.task), UPDATE_TIMEOUT_MS).catch((err: Error) =>
        this.log(`callback ${taskId} ${status} failed: ${err.message}`),
      );
      if (status === 'Success' || status === 'Fail' || status === 'cancelled')
        this.subs.delete(taskId);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.subs.clear();
  }

  private bodyOf(task: TaskRecord): Record<string, unknown> {
    return taskStateBody(task, callbackStatus(task.status));
  }

  private async verify(sub: Subscription): Promise<void> {
    const challenge = randomBytes(12).toString('hex');
    try {
      const answer = await this.post(sub.url, { challenge }, CHALLENGE_TIMEOUT_MS);
      sub.verified = (answer as { challenge?: unknown } | undefined)?.challenge === challenge;
      this.log(`callback ${sub.task.taskId} challenge ${sub.verified ? 'verified' : 'not echoed'}`);
    } catch (err) {
      this.log(`callback ${sub.task.taskId} challenge failed: ${(err as Error).message}`);
    }
  }

  private async post(url: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  }
}
