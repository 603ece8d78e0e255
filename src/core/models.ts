import { V2_MODELS } from './h3-models.js';
import type { Duration, Mode, Resolution } from './request-types.js';

/**
 * What each MiniMax video model can do (research/minimax-api.md §4). The 01 series has a fixed
 * 720P / 6 s output and is sent without `duration` and `resolution`, which some of those models
 * reject (nodetool PR #4309).
 */
export interface ModelSpec {
  name: string;
  modes: readonly Mode[];
  /** 'hailuo' models take duration and resolution; '01' models take neither. */
  series: 'hailuo' | '01';
  /**
   * Whether `[Pan left]`-style camera commands steer this model. MiniMax documents them for the
   * Hailuo and *-Director models only (research/minimax-api.md §4.1, §4.3); the others ignore them.
   */
  camera: boolean;
}

export const MODEL_SPECS: readonly ModelSpec[] = [
  { name: 'MiniMax-Hailuo-2.3', modes: ['t2v', 'i2v'], series: 'hailuo', camera: true },
  { name: 'MiniMax-Hailuo-2.3-Fast', modes: ['i2v'], series: 'hailuo', camera: true },
  { name: 'MiniMax-Hailuo-02', modes: ['t2v', 'i2v', 'fl2v'], series: 'hailuo', camera: true },
  { name: 'T2V-01-Director', modes: ['t2v'], series: '01', camera: true },
  { name: 'T2V-01', modes: ['t2v'], series: '01', camera: false },
  { name: 'I2V-01-Director', modes: ['i2v'], series: '01', camera: true },
  { name: 'I2V-01-live', modes: ['i2v'], series: '01', camera: false },
  { name: 'I2V-01', modes: ['i2v'], series: '01', camera: false },
  { name: 'S2V-01', modes: ['s2v'], series: '01', camera: false },
];

/** Model names in the order adapters offer them as choices. */
export const MODELS: readonly string[] = MODEL_SPECS.map((m) => m.name);
/** Resolutions a user may pick (720P is the fixed output of the 01 series, never chosen). */
export const RESOLUTIONS: readonly Resolution[] = ['512P', '768P', '1080P'];
export const DURATIONS: readonly Duration[] = [6, 10];

/** SPEC §1.1 default model per mode. */
export const DEFAULT_MODEL: Readonly<Record<Mode, string>> = {
  t2v: 'MiniMax-Hailuo-2.3',
  i2v: 'MiniMax-Hailuo-2.3',
  fl2v: 'MiniMax-Hailuo-02',
  s2v: 'S2V-01',
};
export const DEFAULT_DURATION: Duration = 6;
export const DEFAULT_RESOLUTION: Resolution = '768P';
/** What the 01 series produces when duration and resolution are omitted. */
export const LEGACY_RESOLUTION: Resolution = '720P';

export const MODE_LABELS: Readonly<Record<Mode, string>> = {
  t2v: 'text-to-video',
  i2v: 'image-to-video',
  fl2v: 'first-and-last-frame',
  s2v: 'subject-reference',
};

export function modelSpec(name: string): ModelSpec | undefined {
  return MODEL_SPECS.find((m) => m.name === name);
}

export function modelsFor(mode: Mode): string[] {
  return MODEL_SPECS.filter((m) => m.modes.includes(mode)).map((m) => m.name);
}

/** Models on which camera commands work, in the order adapters offer models. */
export const CAMERA_MODELS: readonly string[] = MODEL_SPECS.filter((m) => m.camera).map(
  (m) => m.name,
);

export function takesCamera(name: string): boolean {
  return modelSpec(name)?.camera ?? false;
}

export function isLegacyModel(name: string): boolean {
  return modelSpec(name)?.series === '01';
}

/** Lower-cased name without vendor words, separators or spaces: "MiniMax-Hailuo-2.3-Fast" → "2.3fast". */
function aliasKey(input: string): string {
  return input
    .toLowerCase()
    .replace(/minimax|hailuo/g, '')
    .replace(/[^a-z0-9.]/g, '');
}

const EXTRA_ALIASES: Readonly<Record<string, string>> = {
  '2': 'MiniMax-Hailuo-02',
  '2.0': 'MiniMax-Hailuo-02',
  '23': 'MiniMax-Hailuo-2.3',
  '23fast': 'MiniMax-Hailuo-2.3-Fast',
  fast: 'MiniMax-Hailuo-2.3-Fast',
  s2v: 'S2V-01',
};

/**
 * Maps what a user typed to a model name: case, spaces, dashes and the "MiniMax"/"Hailuo" words
 * are ignored ("hailuo-2.3" → MiniMax-Hailuo-2.3, "2.3-fast" → MiniMax-Hailuo-2.3-Fast).
 * Returns undefined for anything unknown; callers must refuse it, never substitute a default.
 */
export function resolveModelName(input: string): string | undefined {
  const key = aliasKey(input);
  if (key === '') return undefined;
  const exact = MODEL_SPECS.find((m) => aliasKey(m.name) === key);
  const v2 = V2_MODELS.find((m) => aliasKey(m) === key);
  return exact?.name ?? v2 ?? EXTRA_ALIASES[key];
}

/** Resolutions the model accepts in this mode; empty for the 01 series (fixed 720P, omitted). */
export function allowedResolutions(model: string, mode: Mode): Resolution[] {
  const spec = modelSpec(model);
  if (!spec || spec.series === '01' || !spec.modes.includes(mode)) return [];
  // 512P exists only for Hailuo-02 image-to-video (research §4.2); FL2V has no 512P.
  if (spec.name === 'MiniMax-Hailuo-02' && mode === 'i2v') return ['512P', '768P', '1080P'];
  return ['768P', '1080P'];
}

/** Durations allowed at this resolution: 1080P → 6 s only; the 01 series → 6 s only. */
export function allowedDurations(model: string, resolution: Resolution | undefined): Duration[] {
  if (isLegacyModel(model) || resolution === '1080P') return [6];
  return [6, 10];
}
