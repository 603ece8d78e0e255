/**
 * The 15 official camera-movement commands (research/minimax-api.md §4.3), English name first,
 * then the form used by MiniMax's Chinese docs. They go into the prompt in brackets: `[Pan left]`.
 */
export const CAMERA_TABLE: readonly { en: string; zh: string }[] = [
  { en: 'Truck left', zh: '左移' },
  { en: 'Truck right', zh: '右移' },
  { en: 'Pan left', zh: '左摇' },
  { en: 'Pan right', zh: '右摇' },
  { en: 'Push in', zh: '推进' },
  { en: 'Pull out', zh: '拉远' },
  { en: 'Pedestal up', zh: '上升' },
  { en: 'Pedestal down', zh: '下降' },
  { en: 'Tilt up', zh: '上摇' },
  { en: 'Tilt down', zh: '下摇' },
  { en: 'Zoom in', zh: '变焦推近' },
  { en: 'Zoom out', zh: '变焦拉远' },
  { en: 'Shake', zh: '晃动' },
  { en: 'Tracking shot', zh: '跟随' },
  { en: 'Static shot', zh: '固定' },
];

/** Canonical English names, in the order adapters offer them as choices. */
export const CAMERA_COMMANDS: readonly string[] = CAMERA_TABLE.map((c) => c.en);

function key(input: string): string {
  return input
    .trim()
    .replace(/^[[【]\s*|\s*[\]】]$/g, '')
    .replace(/[\s_-]+/g, ' ')
    .toLowerCase();
}

/**
 * Canonical English name for "pan left", "Pan left", "[Pan left]", "左摇" or "[左摇]";
 * undefined when the input is not one of the 15 commands.
 */
export function normaliseCamera(input: string): string | undefined {
  const k = key(input);
  if (k === '') return undefined;
  const hit = CAMERA_TABLE.find((c) => c.en.toLowerCase() === k || c.zh === k);
  return hit?.en;
}

/** Chinese form of a canonical command, for zh-locale labels. */
export function cameraLabel(command: string, locale?: string): string {
  if (!locale?.toLowerCase().startsWith('zh')) return command;
  return CAMERA_TABLE.find((c) => c.en === command)?.zh ?? command;
}

/**
 * Camera commands written into a prompt: every `[...]` (or `【...】`) group whose comma-separated
 * parts include one of the 15 commands, e.g. "[Pan left,Pedestal up]" → ["Pan left", "Pedestal up"].
 * Other bracketed text ("[sic]") is left alone.
 */
export function cameraCommandsIn(prompt: string): string[] {
  const found: string[] = [];
  for (const m of prompt.matchAll(/[[【]([^\]】]{1,80})[\]】]/g)) {
    for (const part of m[1]!.split(/[,，、]/)) {
      const hit = normaliseCamera(part);
      if (hit) found.push(hit);
    }
  }
  return found;
}
