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
