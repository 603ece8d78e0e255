import { formatDuration } from '../../messages/index.js';

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
  return formatDuration(ms, 'wait', 'en');
}

/** `formatWait` in Simplified Chinese. */
export function formatWaitZh(ms: number): string {
  return formatDuration(ms, 'wait', 'zh');
}

/** Counters outlive their day a little so a late reader still finds them. */
export const COUNTER_TTL_MS = 2 * DAY_MS;
