/**
 * When to query a MiniMax task next (SPEC §1.2 step 3). Pure maths, no clock: the caller passes
 * the elapsed time and a random source.
 *
 * The gap follows the square root of the finish-time density, the classic optimum for "few
 * samples, short detection delay": with finish times spread log-normally around the expected
 * duration, the gap is `pollMin · exp(ln(t/expected)² / width)`, i.e. `pollMin` right at the
 * expected finish and growing smoothly to `pollMax` on both sides. The width is larger after the
 * expected time because late jobs (MiniMax queueing) are more common than early ones.
 *
 * Two bounds keep it never worse than fixed 10 s polling (issue #16): before 60 % of the expected
 * time (where no task plausibly finishes) the gaps may grow to POLL_MAX_S, which is where the
 * queries are saved; after that no gap exceeds 10 s (TAIL_MAX_MS), so a task that ends far from
 * its expected time is found as fast as fixed 10 s polling would find it. Over jobs whose actual
 * time is expected × log-normal(σ≈0.18), with POLL_MIN_S 5 / POLL_MAX_S 30, this makes ~23 %
 * fewer queries than fixed 10 s polling with a ~45 % shorter median and a ~25 % shorter p95
 * detection delay, and still beats it on all three when jobs run 1.5× longer than expected
 * (test/core/poll-planner.test.ts).
 */
export interface PollPlanInput {
  /** Time since the task was created, in ms. */
  elapsedMs: number;
  /** Expected create-to-Success time, in ms (from the duration estimator). */
  expectedMs: number;
  /** Smallest gap between two queries of one task, in ms (POLL_MIN_S). */
  pollMinMs: number;
  /** Largest gap between two queries of one task, in ms (POLL_MAX_S). */
  pollMaxMs: number;
  /** Failed queries in a row; each one doubles the gap, up to pollMaxMs. Default 0. */
  consecutiveErrors?: number;
  /** With callbacks the fast path is the callback; polling is only the safety net. */
  callbacksEnabled?: boolean;
  /**
   * MiniMax's callbacks have been seen arriving lately, so the safety net may stretch past
   * pollMaxMs (see CALLBACK_SAFETY_MAX_MS). Without this proof polling stays within pollMaxMs.
   */
  callbacksProven?: boolean;
  /** Source in [0, 1) for jitter; default no jitter. */
  random?: () => number;
  /** Time since the last query, in ms, when one was made; the wait is shortened by it. */
  sinceLastQueryMs?: number;
}

/** Width of the dense zone, in squared log-time, before and after the expected finish. */
export const EARLY_WIDTH = 0.09;
export const LATE_WIDTH = 0.12;
/**
 * Upper bound of the safety-net gap once callbacks are proven to arrive. The budget is
 * about three queries per task with callbacks; POLL_MAX_S bounds polling only when polling is
 * how completion is found.
 */
export const CALLBACK_SAFETY_MAX_MS = 10 * 60_000;
/** With proven callbacks, past the expected finish the safety net waits this share of the elapsed time. */
export const CALLBACK_SAFETY_GROWTH = 1;
/**
 * Outside the sparse start, no gap is longer than MiniMax's recommended 10 s (research §5.3):
 * a task that ends far from its expected time is then found as fast as fixed 10 s polling
 * would find it, while near the expected finish the gap shrinks to POLL_MIN_S.
 */
export const TAIL_MAX_MS = 10_000;
/**
 * Before this share of the expected time no task plausibly finishes (3σ below it in the
 * benchmark's spread), so the gaps may grow to POLL_MAX_S there; that is where queries are saved.
 */
export const SPARSE_UNTIL = 0.6;
/** Jitter, as a fraction of the gap (±), so tasks created together do not query together. */
export const JITTER = 0.1;

/** Delay in ms from now until the next query of this task. */
export function nextPollDelayMs(input: PollPlanInput): number {
  const gap = pollGapMs(input);
  const since = input.sinceLastQueryMs;
  return since === undefined ? gap : Math.max(0, gap - Math.max(0, since));
}

/** The gap in ms between the previous query and the next one, within [pollMinMs, pollMaxMs]. */
export function pollGapMs(input: PollPlanInput): number {
  const { pollMinMs, pollMaxMs } = input;
  const clamp = (ms: number) => Math.min(pollMaxMs, Math.max(pollMinMs, ms));
  const errors = Math.max(0, input.consecutiveErrors ?? 0);
  const random = input.random ?? (() => 0.5);
  const jitter = 1 + JITTER * (2 * random() - 1);

  let gap: number;
  if (input.callbacksEnabled && input.callbacksProven && errors === 0) {
    // The callback is the fast path; the safety net first looks at the expected finish, then
    // ever more rarely (2x, 4x ... the elapsed time), so a lost callback still ends the job.
    const { elapsedMs } = input;
    const expectedMs = Number.isFinite(input.expectedMs) ? Math.max(input.expectedMs, 0) : 0;
    const safetyMs =
      elapsedMs < expectedMs ? expectedMs - elapsedMs : CALLBACK_SAFETY_GROWTH * elapsedMs;
    return Math.round(Math.min(CALLBACK_SAFETY_MAX_MS, Math.max(pollMaxMs, safetyMs) * jitter));
  }
  if (input.callbacksEnabled) {
    gap = pollMaxMs;
  } else {
    gap = clamp(densityGapMs(input.elapsedMs, input.expectedMs, pollMinMs));
  }
  // Never slower than fixed 10 s polling once a finish is plausible (the tail of the mix).
  const tailMax = Math.max(pollMinMs, Math.min(pollMaxMs, TAIL_MAX_MS));
  const sparseLeftMs = SPARSE_UNTIL * input.expectedMs - input.elapsedMs;
  const sparse = !input.callbacksEnabled && Number.isFinite(sparseLeftMs) && sparseLeftMs > 0;
  let cap = pollMaxMs;
  if (input.callbacksEnabled) {
    // Without proof that callbacks arrive, polling stays the POLL_MAX_S safety net.
  } else if (sparse) gap = Math.max(tailMax, Math.min(gap, sparseLeftMs));
  else cap = tailMax;
  if (errors > 0) {
    gap = Math.max(gap, pollMinMs) * 2 ** Math.min(errors, 30);
    cap = pollMaxMs;
  }
  return Math.round(Math.min(cap, clamp(gap * jitter)));
}

function densityGapMs(elapsedMs: number, expectedMs: number, pollMinMs: number): number {
  if (!(expectedMs > 0)) return pollMinMs;
  // Before the first second the log blows up; the clamp to pollMax handles it.
  const logRatio = Math.log(Math.max(elapsedMs, 1) / expectedMs);
  const width = logRatio < 0 ? EARLY_WIDTH : LATE_WIDTH;
  const exponent = Math.min((logRatio * logRatio) / width, 50);
  return pollMinMs * Math.exp(exponent);
}

/**
 * Elapsed times (ms after create) of every query the planner would make for a task that takes
 * `actualMs`, up to and including the one that sees it finished. For benchmarks and budgets.
 */
export function plannedPollTimesMs(
  plan: Omit<PollPlanInput, 'elapsedMs' | 'sinceLastQueryMs'>,
  actualMs: number,
  maxQueries = 10_000,
): number[] {
  const times: number[] = [];
  let t = 0;
  while (times.length < maxQueries) {
    t += pollGapMs({ ...plan, elapsedMs: t });
    times.push(t);
    if (t >= actualMs) break;
  }
  return times;
}
