/** Largest number of timestamps inside any window [t, t + windowMs). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j]! < sorted[i]! + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** Counts per consecutive window starting at `from`, e.g. creates per minute. */
export function perWindow(
  times: number[],
  from: number,
  windowMs: number,
  windows: number,
): number[] {
  const counts = new Array<number>(windows).fill(0);
  for (const t of times) {
    const i = Math.floor((t - from) / windowMs);
    if (i >= 0 && i < windows) counts[i]! += 1;
  }
  return counts;
}
