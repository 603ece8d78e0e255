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
 * Over jobs whose actual time is expected × log-normal(σ≈0.18), with POLL_MIN_S 5 / POLL_MAX_S 30,
 * this makes ~35 % fewer queries than fixed 10 s polling and detects Success ~37 % sooner
 * (median), and about matches it when jobs run 1.5× longer than expected (see
 * test/core/poll-planner.test.ts). Halving both at once is impossible with a 5 s floor: a 5 s
 * gap gives a median delay of 2.5 s, already half of fixed 10 s polling's 5 s, and only if every
 * finish falls in a 5 s zone, which costs more queries than polling every 10 s.
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
export const LATE_WIDTH = 0.18;
/**
 * Upper bound of the safety-net gap once callbacks are proven to arrive. The budget is
 * about three queries per task with callbacks; POLL_MAX_S bounds polling only when polling is
 * how completion is found.
 */
export const CALLBACK_SAFETY_MAX_MS = 10 * 60_000;
/** With proven callbacks, past the expected finish the safety net waits this share of the elapsed time. */
export const CALLBACK_SAFETY_GROWTH = 1;
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
  if (errors > 0) gap = Math.max(gap, pollMinMs) * 2 ** Math.min(errors, 30);
  return Math.round(clamp(gap * jitter));
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
