const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day of `now` as YYYY-MM-DD; daily counters are keyed by it and reset at 00:00 UTC. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Start of the next UTC day (epoch ms). */
export function nextUtcMidnight(now: number): number {
  return (Math.floor(now / DAY_MS) + 1) * DAY_MS;
}

/** "5 h 12 min", "12 min", "2 h", rounded up to the minute so the user never comes back too early. */
export function formatWait(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** `formatWait` in Simplified Chinese: "5 小时 12 分钟", "12 分钟". */
export function formatWaitZh(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} 分钟`;
  return m === 0 ? `${h} 小时` : `${h} 小时 ${m} 分钟`;
}

/** Counters outlive their day a little so a late reader still finds them. */
export const COUNTER_TTL_MS = 2 * DAY_MS;
