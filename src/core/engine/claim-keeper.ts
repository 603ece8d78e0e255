import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Claims, Fence } from '../jobs/job-store.js';

export interface ClaimKeeperOptions {
  claims: Claims;
  clock: Clock;
  logger: Logger;
  /** This process's name in claims; unique per process. */
  owner: string;
  /** How long a claim outlives its last renewal (a dead process's jobs wait this long). */
  leaseMs?: number;
  /** Whether a claim's owner is known to be dead; default: a process of this host that exited. */
  isGone?: (owner: string) => boolean;
}

/**
 * A unique claim owner for this engine (host, pid and a random part). Never from an injected
 * random source: two engines in one process (tests) must still be two owners.
 */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * True only when `owner` names a process of this host that no longer exists: its jobs need not
 * wait for the lease (a restart after a crash, a killed sibling). Another host's process, a
 * paused one or a reused pid count as alive, so the lease still decides for them.
 */
export function processIsGone(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid)
    return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Holds this process's job claims: takes one before a job runs here, renews them all while the
 * process lives, gives them back when a run ends. A process that stops renewing (killed, paused,
 * cut off from the store) loses its jobs to another one after `leaseMs`.
 */
export class ClaimKeeper {
  readonly leaseMs: number;

  constructor(private readonly options: ClaimKeeperOptions) {
    this.leaseMs = options.leaseMs ?? 12_000;
  }

  get owner(): string {
    return this.options.owner;
  }

  /**
   * Takes the claim of `jobId`. With `wait`, a claim held by someone else is retried until its
   * lease could have run out once (a dead holder's job is taken over; a live holder keeps it).
   */
  async take(jobId: string, wait = false): Promise<Fence | undefined> {
    const { claims, clock, owner } = this.options;
    const until = clock.now() + (wait ? this.leaseMs + 1_000 : 0);
    for (;;) {
      const fence =
        (await claims.take(jobId, owner, this.leaseMs)) ?? (await this.replaceDead(jobId));
      if (fence || clock.now() >= until) return fence;
      await clock.sleep(1_000);
    }
  }

  private async replaceDead(jobId: string): Promise<Fence | undefined> {
    const { claims, owner, isGone = processIsGone } = this.options;
    const holder = await claims.holder(jobId);
    if (!holder || !isGone(holder.owner)) return undefined;
    this.options.logger.info(
      { jobId, from: holder.owner },
      'taking over the job of a dead process',
    );
    return claims.take(jobId, owner, this.leaseMs, holder);
  }

  async release(jobId: string): Promise<void> {
    await this.options.claims
      .release(jobId, this.options.owner)
      .catch((err: unknown) => this.options.logger.warn({ err, jobId }, 'could not release claim'));
  }

  /** Renews every claim of this process until `signal` aborts. */
  async keepAlive(signal: AbortSignal): Promise<void> {
    const { claims, clock, logger, owner } = this.options;
    while (!signal.aborted) {
      await clock.sleep(this.leaseMs / 3, signal).catch(() => undefined);
      if (signal.aborted) return;
      await claims
        .renew(owner, this.leaseMs)
        .catch((err: unknown) => logger.warn({ err }, 'could not renew job claims'));
    }
  }
}
