import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { JobStore } from './jobs/job-store.js';
import {
  DEFAULT_DURATION,
  DEFAULT_RESOLUTION,
  isLegacyModel,
  LEGACY_RESOLUTION,
  MODEL_SPECS,
} from './models.js';
import type { Duration, Resolution, VideoRequest } from './request-types.js';

export type TimedRequest = Pick<VideoRequest, 'model' | 'resolution' | 'duration'>;

/** What is stored per key: the moving average and how many samples fed it. */
export interface LearnedDuration {
  emaMs: number;
  samples: number;
}

export interface DurationEstimatorOptions {
  /** Where learned durations live (shared between instances in Redis mode). */
  store: Pick<JobStore, 'getValue' | 'setValue'>;
  clock: Clock;
  logger: Logger;
  /** Weight of a new sample once a few are known. Default 0.25. */
  alpha?: number;
  /** Re-read a key from the store at most this often, in ms (other instances learn too). Default 5 min. */
  refreshMs?: number;
}

/**
 * Average create-to-Success seconds at 768P (720P for the 01 series), 6 s. Sources: ComfyUI's
 * nodes_minimax.py (Hailuo-02 ≈120 s at 768P and ≈240 s at 1080P, T2V-01 ≈234 s, I2V-01 ≈114 s);
 * Hailuo-2.3 ≈150 s is an informed guess (research/minimax-api.md §11), as are the Fast and
 * S2V values. Learning replaces these within a few jobs.
 */
const PRIOR_S: Record<string, number> = {
  'MiniMax-Hailuo-2.3': 150,
  'MiniMax-Hailuo-2.3-Fast': 90,
  'MiniMax-Hailuo-02': 120,
  'T2V-01-Director': 234,
  'T2V-01': 234,
  'I2V-01-Director': 114,
  'I2V-01-live': 114,
  'I2V-01': 114,
  'S2V-01': 150,
  // No published timings for H3 yet: about Hailuo 2.3 for 6 s, scaled by length below.
  'MiniMax-H3': 150,
  'MiniMax-H3-Max': 90,
};
const UNKNOWN_MODEL_S = 180;
const RESOLUTION_FACTOR: Record<Resolution, number> = {
  '480P': 0.7,
  '512P': 0.75,
  '720P': 1,
  '768P': 1,
  '1080P': 2,
  '2K': 2.5,
};
/** 10 s clips take a little less than twice as long (more frames, same queue). */
const TEN_SECONDS_FACTOR = 1.8;

/** The research prior for a request, in ms. */
export function priorMs(request: TimedRequest): number {
  const { model, resolution, duration } = normalise(request);
  const base = PRIOR_S[model] ?? UNKNOWN_MODEL_S;
  // Between 6 and 10 s the time grows as the measured 10 s factor says; H3's 4–15 s follow it.
  const lengthFactor = 1 + ((duration - 6) / 4) * (TEN_SECONDS_FACTOR - 1);
  return base * 1000 * RESOLUTION_FACTOR[resolution] * Math.max(0.6, lengthFactor);
}

/** `model|resolution|duration`, with the defaults MiniMax applies filled in. */
export function durationKey(request: TimedRequest): string {
  const { model, resolution, duration } = normalise(request);
  return `${model}|${resolution}|${duration}`;
}

function normalise(request: TimedRequest): {
  model: string;
  resolution: Resolution;
  duration: Duration;
} {
  const legacy = isLegacyModel(request.model);
  return {
    model: request.model,
    resolution: legacy ? LEGACY_RESOLUTION : (request.resolution ?? DEFAULT_RESOLUTION),
    duration: legacy ? DEFAULT_DURATION : (request.duration ?? DEFAULT_DURATION),
  };
}

/**
 * Learns how long MiniMax takes per model/resolution/duration (exponential moving average of
 * create-to-Success times), starting from research priors. `estimateMs` is synchronous (the
 * poller and progress bar call it often) and serves a cache refreshed from the store.
 */
export class DurationEstimator {
  private readonly cache = new Map<string, { learned?: LearnedDuration; readAt: number }>();
  private readonly alpha: number;
  private readonly refreshMs: number;

  constructor(private readonly options: DurationEstimatorOptions) {
    this.alpha = options.alpha ?? 0.25;
    this.refreshMs = options.refreshMs ?? 5 * 60_000;
  }

  /** Reads what earlier runs learned for every known model combination. */
  async load(): Promise<void> {
    const requests = MODEL_SPECS.flatMap((m) =>
      (['512P', '768P', '1080P'] as const).flatMap((resolution) =>
        ([6, 10] as const).map((duration) => ({ model: m.name, resolution, duration })),
      ),
    );
    const keys = new Set(requests.map(durationKey));
    await Promise.all([...keys].map((key) => this.refresh(key)));
  }

  /** Expected create-to-Success time in ms. */
  estimateMs(request: TimedRequest): number {
    const key = durationKey(request);
    const entry = this.cache.get(key);
    if (!entry || this.options.clock.now() - entry.readAt > this.refreshMs) {
      this.refresh(key).catch((err: unknown) =>
        this.options.logger.warn({ err, key }, 'could not read learned duration'),
      );
    }
    return entry?.learned ? Math.round(entry.learned.emaMs) : priorMs(request);
  }

  /** Feeds one observed create-to-Success time, in ms. */
  async record(request: TimedRequest, ms: number): Promise<void> {
    if (!(ms > 0) || !Number.isFinite(ms)) return;
    const key = durationKey(request);
    const stored = await this.options.store.getValue<LearnedDuration>(storeKey(key));
    const current = stored ?? { emaMs: priorMs(request), samples: 0 };
    // One stuck task (MiniMax queue outage) must not wreck the estimate: bound each sample.
    const sample = Math.min(current.emaMs * 3, Math.max(current.emaMs / 3, ms));
    // The prior counts as one sample, so early jobs move the estimate quickly.
    const weight = Math.max(this.alpha, 1 / (current.samples + 2));
    const next: LearnedDuration = {
      emaMs: current.emaMs + weight * (sample - current.emaMs),
      samples: current.samples + 1,
    };
    await this.options.store.setValue(storeKey(key), next);
    this.cache.set(key, { learned: next, readAt: this.options.clock.now() });
  }

  private async refresh(key: string): Promise<void> {
    // Mark first so a burst of estimateMs calls triggers one read, not one each.
    const previous = this.cache.get(key);
    this.cache.set(key, { learned: previous?.learned, readAt: this.options.clock.now() });
    const learned = await this.options.store.getValue<LearnedDuration>(storeKey(key));
    if (learned && learned.emaMs > 0) {
      this.cache.set(key, { learned, readAt: this.options.clock.now() });
    }
  }
}

const storeKey = (key: string) => `duration:${key}`;

/** Builds an estimator and loads what earlier runs learned. */
export async function createDurationEstimator(
  options: DurationEstimatorOptions,
): Promise<DurationEstimator> {
  const estimator = new DurationEstimator(options);
  await estimator
    .load()
    .catch((err: unknown) =>
      options.logger.warn({ err }, 'could not load learned durations; using priors'),
    );
  return estimator;
}
