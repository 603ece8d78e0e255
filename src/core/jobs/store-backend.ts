import type Keyv from 'keyv';

/**
 * What the keyv job store needs beyond plain get/set: small sets and ranked lists (keyv cannot
 * list keys cheaply) and an atomic "set if absent". Two implementations: local (Map or SQLite,
 * one process) and Redis (shared by many instances).
 */
export interface StoreBackend {
  /** Records and values; keys are already namespaced by the backend. */
  readonly keyv: Keyv;
  setAdd(set: string, member: string): Promise<void>;
  setRemove(set: string, member: string): Promise<void>;
  setMembers(set: string): Promise<string[]>;
  /** Adds `member` ranked by `score`, keeping only the `keep` highest scores. */
  rankAdd(list: string, member: string, score: number, keep: number): Promise<void>;
  /** Members with the highest scores first. */
  rankTop(list: string, limit: number): Promise<string[]>;
  /** Stores `key` for `ttlMs` unless it exists; true when this call stored it. */
  addIfAbsent(key: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Serialises async sections inside one process. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

type Ranked = Array<[member: string, score: number]>;

/**
 * Map or SQLite through keyv. Only one process writes (SQLite mode is single-instance, SPEC §3),
 * so an in-process mutex makes the read-modify-write of the index keys safe.
 */
export class LocalBackend implements StoreBackend {
  private readonly mutex = new Mutex();
  // Single writer, so the indexes can live in memory after the first read: a save then costs no
  // index read at all, and a write only when membership changes.
  private readonly sets = new Map<string, Set<string>>();
  private readonly ranks = new Map<string, Ranked>();

  constructor(
    readonly keyv: Keyv,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  setAdd(set: string, member: string): Promise<void> {
    return this.mutex.run(async () => {
      const members = await this.loadSet(set);
      if (members.has(member)) return;
      members.add(member);
      await this.keyv.set(`set:${set}`, [...members]);
    });
  }

  setRemove(set: string, member: string): Promise<void> {
    return this.mutex.run(async () => {
      const members = await this.loadSet(set);
      if (!members.delete(member)) return;
      await this.keyv.set(`set:${set}`, [...members]);
    });
  }

  async setMembers(set: string): Promise<string[]> {
    return [...(await this.mutex.run(() => this.loadSet(set)))];
  }

  rankAdd(list: string, member: string, score: number, keep: number): Promise<void> {
    return this.mutex.run(async () => {
      const ranked = await this.loadRank(list);
      const existing = ranked.find(([m]) => m === member);
      if (existing?.[1] === score) return;
      const next: Ranked = ranked.filter(([m]) => m !== member);
      next.push([member, score]);
      next.sort((a, b) => b[1] - a[1]);
      const kept = next.slice(0, keep);
      this.ranks.set(list, kept);
      await this.keyv.set(`rank:${list}`, kept);
    });
  }

  async rankTop(list: string, limit: number): Promise<string[]> {
    const ranked = await this.mutex.run(() => this.loadRank(list));
    return ranked.slice(0, limit).map(([m]) => m);
  }

  addIfAbsent(key: string, ttlMs: number): Promise<boolean> {
    return this.mutex.run(async () => {
      if ((await this.keyv.get(`seen:${key}`)) !== undefined) return false;
      await this.keyv.set(`seen:${key}`, 1, ttlMs);
      return true;
    });
  }

  async close(): Promise<void> {
    // Let queued index writes land before the connection goes away.
    await this.mutex.run(async () => {});
    await this.onClose();
  }

  private async loadSet(set: string): Promise<Set<string>> {
    let members = this.sets.get(set);
    if (!members) {
      members = new Set(await this.read<string[]>(`set:${set}`, []));
      this.sets.set(set, members);
    }
    return members;
  }

  private async loadRank(list: string): Promise<Ranked> {
    let ranked = this.ranks.get(list);
    if (!ranked) {
      ranked = await this.read<Ranked>(`rank:${list}`, []);
      this.ranks.set(list, ranked);
    }
    return ranked;
  }

  private async read<T>(key: string, fallback: T): Promise<T> {
    return ((await this.keyv.get(key)) as T | undefined) ?? fallback;
  }
}
