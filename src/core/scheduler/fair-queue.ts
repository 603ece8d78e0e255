import type { QueueEntry } from './task-scheduler.js';

interface UserLane {
  /** Channels of this user in rotation order; the head is served next. */
  channels: string[];
  byChannel: Map<string, QueueEntry[]>;
}

/**
 * Round-robin by user, then by channel within a user, FIFO within a channel. A user with many
 * jobs cannot starve one with a single job: each turn serves the next user in rotation, and a
 * user who arrives later joins the rotation's end.
 */
export class FairQueue {
  private readonly users: string[] = [];
  private readonly lanes = new Map<string, UserLane>();
  private readonly index = new Map<string, QueueEntry>();

  get size(): number {
    return this.index.size;
  }

  has(jobId: string): boolean {
    return this.index.has(jobId);
  }

  add(entry: QueueEntry): void {
    if (this.index.has(entry.jobId)) return;
    this.index.set(entry.jobId, entry);
    let lane = this.lanes.get(entry.userKey);
    if (!lane) {
      lane = { channels: [], byChannel: new Map() };
      this.lanes.set(entry.userKey, lane);
      this.users.push(entry.userKey);
    }
    let list = lane.byChannel.get(entry.channelKey);
    if (!list) {
      list = [];
      lane.byChannel.set(entry.channelKey, list);
      lane.channels.push(entry.channelKey);
    }
    list.push(entry);
  }

  remove(jobId: string): boolean {
    const entry = this.index.get(jobId);
    if (!entry) return false;
    this.index.delete(jobId);
    const lane = this.lanes.get(entry.userKey)!;
    const list = lane.byChannel.get(entry.channelKey)!;
    list.splice(list.indexOf(entry), 1);
    if (list.length === 0) {
      lane.byChannel.delete(entry.channelKey);
      lane.channels.splice(lane.channels.indexOf(entry.channelKey), 1);
    }
    if (lane.channels.length === 0) {
      this.lanes.delete(entry.userKey);
      this.users.splice(this.users.indexOf(entry.userKey), 1);
    }
    return true;
  }

  /** The entry `next()` would take, without taking it. */
  peek(): QueueEntry | undefined {
    const userKey = this.users[0];
    if (userKey === undefined) return undefined;
    const lane = this.lanes.get(userKey)!;
    return lane.byChannel.get(lane.channels[0]!)![0];
  }

  /** Takes the entry whose turn it is and rotates its user and channel to the back. */
  next(): QueueEntry | undefined {
    const userKey = this.users[0];
    if (userKey === undefined) return undefined;
    const lane = this.lanes.get(userKey)!;
    const entry = lane.byChannel.get(lane.channels[0]!)![0]!;
    this.remove(entry.jobId);
    rotate(this.users, userKey);
    const stillQueued = this.lanes.get(userKey);
    if (stillQueued) rotate(stillQueued.channels, entry.channelKey);
    return entry;
  }

  /** Job ids in the order `next()` would return them, without changing anything. */
  order(): string[] {
    const users = [...this.users];
    const lanes = new Map(
      users.map((u) => {
        const lane = this.lanes.get(u)!;
        const queues = new Map(lane.channels.map((c) => [c, [...lane.byChannel.get(c)!]]));
        return [u, { channels: [...lane.channels], queues }];
      }),
    );
    const out: string[] = [];
    while (users.length > 0) {
      const user = users.shift()!;
      const lane = lanes.get(user)!;
      const channel = lane.channels.shift()!;
      const queue = lane.queues.get(channel)!;
      out.push(queue.shift()!.jobId);
      if (queue.length > 0) lane.channels.push(channel);
      if (lane.channels.length > 0) users.push(user);
    }
    return out;
  }
}

/** Moves `key` to the end if it is still at the head (it may have been removed). */
function rotate(list: string[], key: string): void {
  if (list[0] === key) list.push(list.shift()!);
}
