import { takesCamera } from './models.js';
import type { VideoRequest } from './request-types.js';

/**
 * Camera moves a variation cycles through; each is a visibly different shot of the same scene.
 * (A variation that only re-sends the source would be Regenerate under another name.)
 */
export const VARIATION_MOVES: readonly string[] = [
  'Push in',
  'Pan left',
  'Tracking shot',
  'Zoom out',
  'Pedestal up',
  'Truck right',
];

/** How a variation differs from its source; shown with the settings of the new job. */
export type Variation =
  | { kind: 'camera'; from?: string; to: string }
  | { kind: 'prompt_optimizer'; to: boolean };

function withoutTag(prompt: string, camera: string | undefined): string {
  if (!camera) return prompt;
  const tag = `[${camera}]`;
  return prompt.endsWith(tag) ? prompt.slice(0, -tag.length).trimEnd() : prompt;
}

/**
 * The request of a variation of `source`: on a model that takes camera commands, a different
 * camera move (the next in VARIATION_MOVES after the source's); elsewhere the other
 * prompt-optimizer setting, since that is the one free setting that changes the result there.
 * Moves typed inside the prompt stay; only the move the bot appended is replaced.
 */
export function varyRequest(source: VideoRequest): { request: VideoRequest; variation: Variation } {
  const request: VideoRequest = { ...source };
  if (takesCamera(source.model)) {
    const at = source.camera ? VARIATION_MOVES.indexOf(source.camera) : -1;
    const to = VARIATION_MOVES[(at + 1) % VARIATION_MOVES.length]!;
    const base = withoutTag(source.prompt, source.camera);
    request.prompt = base ? `${base} [${to}]` : `[${to}]`;
    request.camera = to;
    const variation: Variation = {
      kind: 'camera',
      to,
      ...(source.camera ? { from: source.camera } : {}),
    };
    return { request: { ...request, variation }, variation };
  }
  const variation: Variation = { kind: 'prompt_optimizer', to: !source.promptOptimizer };
  request.promptOptimizer = variation.to;
  return { request: { ...request, variation }, variation };
}
