/**
 * MiniMax-H3 models speak the V2 video API (research/minimax-h3.md); everything else stays on V1.
 * Every video they make has a sound track.
 */
export const V2_MODELS = ['MiniMax-H3', 'MiniMax-H3-Max'] as const;
export type V2Model = (typeof V2_MODELS)[number];

export const isV2Model = (model: string): model is V2Model =>
  (V2_MODELS as readonly string[]).includes(model);

/** Whether the delivered MP4 carries audio (every V2 model generates sound). */
export const hasSound = (model: string): boolean => isV2Model(model);

/**
 * What "Upscale to 2K" may cost, in USD. research/minimax-h3.md §4 has two readings: the
 * regeneration call at $0.05/s (one source) or 2K output at $0.13/s (several sources). The
 * label shows the higher one as "up to", so nobody is billed more than they were told.
 */
export function upscaleMaxPriceUsd(durationS: number): string {
  return (0.13 * durationS).toFixed(2);
}
