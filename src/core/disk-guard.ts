import { statfs } from 'node:fs/promises';
import type { Clock } from './clock.js';
import { PolicyError } from './errors.js';

/** Free bytes of the file system holding `path` (fs.statfs by default; tests inject one). */
export type FreeSpaceProbe = (path: string) => Promise<number>;

export const statfsProbe: FreeSpaceProbe = async (path) => {
  const s = await statfs(path);
  return s.bavail * s.bsize;
};

export interface DiskGuardOptions {
  /** DATA_DIR. */
  path: string;
  /** MIN_FREE_DISK_MB in bytes; 0 turns the guard off. */
  minFreeBytes: number;
  clock: Clock;
  probe?: FreeSpaceProbe;
  /** A reading is reused this long, so a burst of commands costs one statfs. Default 1 s. */
  cacheMs?: number;
  /** Called on every refused request (for the refusal metric). */
  onRefuse?: () => void;
  /** Called with every fresh reading (for the free-space gauge). */
  onReading?: (freeBytes: number) => void;
}

export interface DiskState {
  low: boolean;
  freeBytes?: number;
}

/**
 * Refuses new jobs while DATA_DIR is nearly full (issue #12): a full disk fails every write, so
 * jobs already running must keep the space they need to finish. Running jobs are never stopped.
 */
export class DiskGuard {
  private last: { at: number; state: DiskState } | undefined;

  constructor(private readonly o: DiskGuardOptions) {}

  async state(): Promise<DiskState> {
    if (this.o.minFreeBytes <= 0) return { low: false };
    const now = this.o.clock.now();
    if (this.last && now - this.last.at < (this.o.cacheMs ?? 1_000)) return this.last.state;
    let state: DiskState;
    try {
      const freeBytes = await (this.o.probe ?? statfsProbe)(this.o.path);
      state = { low: freeBytes < this.o.minFreeBytes, freeBytes };
      this.o.onReading?.(freeBytes);
    } catch {
      // DATA_DIR not created yet, or statfs unsupported: no reason to refuse work.
      state = { low: false };
    }
    this.last = { at: now, state };
    return state;
  }

  /** Throws the one-sentence refusal when space is low. */
  async assertRoom(): Promise<void> {
    if (!(await this.state()).low) return;
    this.o.onRefuse?.();
    throw new PolicyError({ code: 'disk_low' });
  }

  /** For /readyz: why the bot is not taking work, or undefined. */
  async reason(): Promise<string | undefined> {
    const s = await this.state();
    if (!s.low) return undefined;
    const mb = Math.floor((s.freeBytes ?? 0) / 1_048_576);
    return `low disk space in DATA_DIR: ${mb} MB free, MIN_FREE_DISK_MB is ${Math.floor(this.o.minFreeBytes / 1_048_576)}`;
  }
}
