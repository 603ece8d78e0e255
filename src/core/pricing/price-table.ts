import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { isV2Model } from '../h3-models.js';
import { isLegacyModel } from '../models.js';
import type { VideoRequest } from '../request-types.js';

/**
 * What MiniMax charges, per model (research/minimax-h3.md §4, from MiniMax's pay-as-you-go price
 * page): V1 models per video by `resolution|seconds`, MiniMax-H3 per output second plus
 * reference images past the free ones. `PRICES_FILE` replaces this table (same shape, JSON).
 */
const perVideo = z.object({ perVideo: z.record(z.string(), z.number().nonnegative()) });
const perSecond = z.object({
  perSecond: z.record(z.string(), z.number().nonnegative()),
  freeImages: z.number().int().nonnegative().default(0),
  perExtraImage: z.number().nonnegative().default(0),
  /** Per second of reference video, by output resolution; absent: the output rate. */
  perReferenceVideoSecond: z.record(z.string(), z.number().nonnegative()).optional(),
});
export const priceTableSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  /** The day the prices were read from MiniMax's page. */
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-09-29'),
  models: z.record(z.string(), z.union([perVideo, perSecond])),
});
export type PriceTable = z.infer<typeof priceTableSchema>;

const HAILUO_23 = { '768P|6': 0.28, '768P|10': 0.56, '1080P|6': 0.49 };

/**
 * Defaults: MiniMax-H3 as of 2026-09-29 [S11]; Hailuo as of 2026-07 [S16]. The 01 series is not
 * on the current page; $0.43 per 6 s video is its last published price and should be checked.
 */
export const DEFAULT_PRICES: PriceTable = {
  currency: 'USD',
  asOf: '2026-09-29',
  models: {
    'MiniMax-H3': { perSecond: { '768P': 0.08, '2K': 0.13 }, freeImages: 5, perExtraImage: 0.04 },
    'MiniMax-H3-Max': {
      perSecond: { '480P': 0.05, '768P': 0.08 },
      freeImages: 2,
      perExtraImage: 0.074,
      perReferenceVideoSecond: { '480P': 0.0553, '768P': 0.143 },
    },
    'MiniMax-Hailuo-2.3': { perVideo: HAILUO_23 },
    'MiniMax-Hailuo-2.3-Fast': { perVideo: { '768P|6': 0.19, '768P|10': 0.32, '1080P|6': 0.33 } },
    'MiniMax-Hailuo-02': { perVideo: { ...HAILUO_23, '512P|6': 0.1, '512P|10': 0.15 } },
    ...Object.fromEntries(
      ['T2V-01-Director', 'T2V-01', 'I2V-01-Director', 'I2V-01-live', 'I2V-01', 'S2V-01'].map(
        (m) => [m, { perVideo: { '720P|6': 0.43 } }],
      ),
    ),
  },
};

/** The table in force: PRICES_FILE when set (checked at start, one sentence when wrong). */
export function loadPriceTable(file: string | undefined): PriceTable {
  if (!file) return DEFAULT_PRICES;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`PRICES_FILE ${file} cannot be read as JSON (${(err as Error).message})`);
  }
  const parsed = priceTableSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      `PRICES_FILE ${file}: ${issue.path.join('.') || 'the file'} ${issue.message}`,
    );
  }
  return parsed.data;
}

/** Ledger amounts are whole numbers: 1 unit = 1/10,000 of the currency (so $0.0553 is exact). */
export const UNITS_PER_CURRENCY = 10_000;
export const toUnits = (amount: number): number => Math.round(amount * UNITS_PER_CURRENCY);

/**
 * What a request will cost, or undefined when the table has no price for it. MiniMax-H3: the
 * output seconds at the resolution's rate plus images past the free ones (frames count) plus
 * seconds of reference video (audio is free); an "Upscale to 2K" is
 * priced as 2K output (the higher of the digest's two readings).
 */
export function estimateCost(request: VideoRequest, table: PriceTable): number | undefined {
  const price = table.models[request.model];
  if (!price) return undefined;
  if ('perSecond' in price) {
    const rate = price.perSecond[request.resolution ?? '768P'];
    if (rate === undefined || !isV2Model(request.model)) return undefined;
    const images = request.imageSlots.length;
    const extra = Math.max(0, images - price.freeImages) * price.perExtraImage;
    // Reference video is billed per second, read at the output resolution's rate (⚡ in the digest).
    const clipRate = price.perReferenceVideoSecond?.[request.resolution ?? '768P'] ?? rate;
    const clipSeconds = (request.clips ?? [])
      .filter((c) => c.kind === 'video')
      .reduce((n, c) => n + c.seconds, 0);
    return round(rate * (request.duration ?? 6) + extra + clipRate * clipSeconds);
  }
  const resolution = isLegacyModel(request.model) ? '720P' : (request.resolution ?? '768P');
  const seconds = isLegacyModel(request.model) ? 6 : (request.duration ?? 6);
  const cost = price.perVideo[`${resolution}|${seconds}`];
  return cost === undefined ? undefined : round(cost);
}

/** MiniMax-H3 bills the seconds it reports; anything else costs what it was estimated at. */
export function billedCost(
  request: VideoRequest,
  billedSeconds: number | undefined,
  table: PriceTable,
): number | undefined {
  const estimate = estimateCost(request, table);
  const price = table.models[request.model];
  if (billedSeconds === undefined || !price || !('perSecond' in price)) return estimate;
  return estimateCost({ ...request, duration: billedSeconds }, table);
}

const round = (n: number) => Math.round(n * UNITS_PER_CURRENCY) / UNITS_PER_CURRENCY;

/** "US$ 0.96" / "EUR 1.20": two decimals, more only when a price needs them. */
export function formatMoney(amount: number, currency: string): string {
  const symbol = currency === 'USD' ? 'US$' : currency;
  const digits = Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-9 ? 2 : 4;
  return `${symbol} ${amount.toFixed(digits)}`;
}
