import { BotError, InputError } from '../errors.js';
import type { CheckedClip, ReferenceClip } from '../request-types.js';
import type { RunContext } from './run-context.js';

/**
 * Upload purposes MiniMax's file API documents for these formats (research/minimax-api.md §8):
 * `video_understanding` takes MP4/MOV, `prompt_audio` MP3/WAV. Which purpose MiniMax-H3 expects
 * for `mm_file://` references is not documented; these are the ones that accept the formats.
 */
export const CLIP_PURPOSE = { video: 'video_understanding', audio: 'prompt_audio' } as const;

const EXT: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
};

/**
 * Stores a request's reference clips at MiniMax once, at admission, so the job record keeps
 * only their ids (a 50 MB clip never sits in the store or in a create body). Uploads are free;
 * a failure refuses the request and its holds are given back by the caller.
 */
export async function uploadClips(
  ctx: Pick<RunContext, 'client' | 'clock'>,
  clips: CheckedClip[],
): Promise<ReferenceClip[]> {
  const upload = ctx.client.uploadFile?.bind(ctx.client);
  if (!upload) throw new InputError({ code: 'h3_only_option', params: { option: 'clips' } });
  const uploaded: ReferenceClip[] = [];
  for (const [i, clip] of clips.entries()) {
    const name = clip.name ?? `reference-${clip.kind}-${i + 1}.${EXT[clip.mime] ?? 'bin'}`;
    const { fileId } = await withRetries(ctx, () =>
      upload({ bytes: clip.bytes, name, mime: clip.mime }, CLIP_PURPOSE[clip.kind]),
    );
    uploaded.push({
      kind: clip.kind,
      fileId,
      seconds: clip.seconds,
      ...(clip.name ? { name: clip.name } : {}),
    });
  }
  return uploaded;
}

/** Uploads are free and a repeat harms nothing, so a transient failure is tried twice more. */
async function withRetries<T>(ctx: Pick<RunContext, 'clock'>, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= UPLOAD_ATTEMPTS || !(err instanceof BotError) || !err.retryable) throw err;
      await ctx.clock.sleep(1_000 * attempt);
    }
  }
}

const UPLOAD_ATTEMPTS = 3;
