import { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { CAMERA_COMMANDS } from '../../core/camera.js';
import { V2_MODELS } from '../../core/h3-models.js';
import { MODELS } from '../../core/models.js';
import { checkRequest, withDefaultModel } from '../../core/request.js';
import { RATIOS, type RawVideoRequest } from '../../core/request-types.js';
import type { CliContext } from '../cli-context.js';
import { EXIT_BAD_INPUT, ExitError } from '../exit-codes.js';
import { readLocalFiles, readLocalImages } from '../local-images.js';
import { runLocalJob } from '../run-local-job.js';

export interface GenerateOptions {
  prompt?: string;
  image?: string;
  lastFrame?: string;
  subject?: string;
  model?: string;
  duration?: string;
  resolution?: string;
  camera?: string;
  promptOptimizer: boolean;
  watermark?: boolean;
  out?: string;
  ratio?: string;
  enhance?: boolean;
  referenceImage?: string[];
  referenceVideo?: string[];
  referenceAudio?: string[];
}

/** Repeatable flags collect into a list (no default, so `--help` shows none). */
const collect = (value: string, previous: string[] = []) => [...previous, value];

export function generateCommand(ctx: CliContext): Command {
  return new Command('generate')
    .summary('make one video from the terminal')
    .description(
      'Make one video with MiniMax (MINIMAX_BASE_URL, MINIMAX_API_KEY) and show its progress. ' +
        'The mode follows from the inputs: a prompt alone is text-to-video, --image adds a first ' +
        'frame, --image with --last-frame is first-and-last-frame, --subject is subject reference. ' +
        'Exit code 0 when the video is saved, 1 when the generation fails, 2 for bad input.',
    )
    .option('-p, --prompt <text>', 'what should happen (up to 2000 characters)')
    .option('-i, --image <file>', 'first frame (JPG, PNG or WebP)')
    .option('--last-frame <file>', 'last frame; needs --image')
    .option('--subject <file>', 'face photo for subject reference (S2V-01)')
    .option('-m, --model <name>', `model: ${[...MODELS, ...V2_MODELS].join(', ')}`)
    .option('-d, --duration <seconds>', '6 or 10; MiniMax-H3 4-15 (H3-Max 5-15)')
    .option(
      '-r, --resolution <res>',
      '512P, 768P or 1080P; MiniMax-H3 768P or 2K (H3-Max 480P, 768P)',
    )
    .option(
      '-c, --camera <command>',
      `camera move appended to the prompt: ${CAMERA_COMMANDS.join(', ')}`,
    )
    .option('--no-prompt-optimizer', 'send the prompt exactly as written')
    .option('--watermark', 'add the "AI generated" watermark')
    .option(
      '--ratio <ratio>',
      `MiniMax-H3 aspect ratio: ${RATIOS.join(', ')} (default 16:9 for text alone)`,
    )
    .option('--enhance', "MiniMax-H3: rewrite the prompt with MiniMax's prompt enhancer first")
    .option(
      '--reference-video <file>',
      'MiniMax-H3: a reference video clip (MP4/MOV, 2-15 s; repeat for up to 3)',
      collect,
    )
    .option(
      '--reference-audio <file>',
      'MiniMax-H3: a reference audio clip, e.g. a voice (MP3/WAV, 2-15 s; repeat for up to 3)',
      collect,
    )
    .option(
      '--reference-image <file>',
      'MiniMax-H3: a reference image (a person, product or style to keep; repeat for up to 9)',
      collect,
    )
    .option('-o, --out <file>', 'copy the MP4 here (default: stays in DATA_DIR/videos)')
    .addHelpText(
      'after',
      `
Examples:
  $ minimax-video-bot generate --prompt "a cat surfing a wave [Tracking shot]" --out cat.mp4
  $ minimax-video-bot generate --image photo.jpg --prompt "she turns and smiles" --camera "Push in"
  $ minimax-video-bot generate --image first.png --last-frame last.png --model MiniMax-Hailuo-02
  $ minimax-video-bot generate --subject face.jpg --prompt "the same man walking on a beach"
  $ minimax-video-bot generate --prompt "city at night" --resolution 1080P --duration 6
  $ minimax-video-bot generate --model MiniMax-H3 --ratio 9:16 --duration 12 --prompt "rain on a tin roof"
  $ minimax-video-bot generate --model MiniMax-H3 --reference-image face.png --prompt "she sings on stage"
  $ minimax-video-bot generate --model MiniMax-H3 --ratio 9:16 --duration 12 --reference-image a.png --reference-audio voice.mp3 --prompt "the woman in image 1 sings with the voice of audio 1"`,
    )
    .action(async (opts: GenerateOptions) => {
      const config = loadConfig(ctx.env);
      const raw = withDefaultModel(await rawRequestOf(opts), config.DEFAULT_MODEL);
      // Refuse bad input before opening the store or touching the network.
      await checkRequest(raw);
      if (!config.MINIMAX_API_KEY)
        throw new ExitError(
          EXIT_BAD_INPUT,
          'Set MINIMAX_API_KEY to generate a video (or try `minimax-video-bot demo`, which needs none).',
        );
      await runLocalJob({
        config,
        ctx,
        raw,
        outPath: opts.out,
        fallbackUser: 'cli',
        // Chat jobs in the same store belong to `serve`, which can deliver them.
        app: { resumePlatforms: ['cli'], joinSharedQueue: false },
      });
    });
}

/** The command-line flags as the same raw request a chat adapter would build. */
export async function rawRequestOf(opts: GenerateOptions): Promise<RawVideoRequest> {
  const raw: RawVideoRequest = {
    prompt: opts.prompt,
    model: opts.model,
    duration: opts.duration,
    resolution: opts.resolution,
    camera: opts.camera,
    promptOptimizer: opts.promptOptimizer,
    watermark: opts.watermark ?? false,
    ...(opts.ratio !== undefined ? { ratio: opts.ratio } : {}),
    ...(opts.enhance ? { enhance: true } : {}),
    // On MiniMax-H3 the subject slot is sent as a reference image.
    images: await readLocalImages({
      first: opts.image,
      last: opts.lastFrame,
      subject: opts.subject,
    }),
  };
  const references = [
    ...(opts.referenceImage ?? []),
    ...(opts.referenceVideo ?? []),
    ...(opts.referenceAudio ?? []),
  ];
  if (references.length > 0)
    raw.media = (await readLocalFiles(references)).map((f) => ({ ...f, role: 'reference' }));
  return raw;
}
