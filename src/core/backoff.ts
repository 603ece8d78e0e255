/** Shape of an exponential backoff; every field in milliseconds except the ratios. */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Share of the delay that jitter may remove (0..1), so retries of many jobs spread out. Default 0.2. */
  jitterRatio?: number;
}

// The plans that use this shape live in retry-policy.ts (MiniMax) and beside each adapter.

/**
 * Delay before retry number `attempt` (1 = first retry). A pure function: `jitter` is a number in
 * [0, 1) from an injected random source, so tests pass a constant.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, jitter: number): number {
  const factor = policy.factor ?? 2;
  const ratio = policy.jitterRatio ?? 0.2;
  const step = Math.max(0, Math.floor(attempt) - 1);
  const raw = Math.min(policy.maxMs, policy.baseMs * factor ** step);
  const clamped = Math.min(Math.max(jitter, 0), 1);
  return Math.round(raw * (1 - ratio * clamped));
}
