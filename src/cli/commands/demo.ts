import { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { runSimulatorCommand } from '../../simulator/index.js';
import { type CliContext, println } from '../cli-context.js';
import { runLocalJob } from '../run-local-job.js';
import { type GenerateOptions, rawRequestOf } from './generate.js';

/** Long enough to watch the states move, short enough not to bore. */
const TIMELINE_MS = { preparing: 400, queueing: 600, processing: 2_500 };
const DEFAULT_PROMPT = 'A red fox trotting through fresh snow at sunrise [Tracking shot]';

export function demoCommand(ctx: CliContext): Command {
  return new Command('demo')
    .summary('make a video against the built-in simulator')
    .description(
      'Start the built-in MiniMax simulator on 127.0.0.1, run one job through the real engine ' +
        '(queue, create, poll, download, check) against it and print where the MP4 went. Needs no ' +
        'credentials and no network. The video lands in DATA_DIR/videos (default ./data/videos).',
    )
    .option('-p, --prompt <text>', 'prompt to send', DEFAULT_PROMPT)
    .option('-i, --image <file>', 'first frame, for an image-to-video demo')
    .option('-o, --out <file>', 'copy the MP4 here as well')
    .addHelpText(
      'after',
      `
Examples:
  $ npm run demo
  $ minimax-video-bot demo --prompt "a paper boat on a rainy street [Push in]"
  $ minimax-video-bot demo --image test/fixtures/frame.png --out demo.mp4`,
    )
    .action(async (opts: { prompt: string; image?: string; out?: string }) => {
      const sim = await runSimulatorCommand({
        port: 0,
        // MINIMAX_API_KEY must look like a key (8+ characters).
        apiKey: 'demo-simulator-key',
        timelineMs: TIMELINE_MS,
        print: (line) => {
          if (line.startsWith('MiniMax simulator')) println(ctx.stderr, line);
        },
      });
      try {
        const config = loadConfig({
          ...ctx.env,
          MINIMAX_BASE_URL: sim.url,
          MINIMAX_API_KEY: sim.apiKey,
          // Nothing of the demo is kept apart from the video, and no real job is resumed.
          STORE_URL: 'memory://',
          PUBLIC_URL: undefined,
          POLL_MIN_S: '0.2',
          POLL_MAX_S: '1',
          MINIMAX_RPM: '60',
        });
        const generate: GenerateOptions = {
          prompt: opts.prompt,
          image: opts.image,
          promptOptimizer: true,
        };
        const raw = await rawRequestOf(generate);
        await runLocalJob({
          config,
          ctx,
          raw,
          outPath: opts.out,
          fallbackUser: 'demo',
          app: {
            estimator: {
              estimateMs: () =>
                TIMELINE_MS.preparing + TIMELINE_MS.queueing + TIMELINE_MS.processing,
              record: () => undefined,
            },
          },
          doneLine: (job) => `Done: ${job.videoBytes ?? '?'} bytes of MP4 from the simulator.`,
        });
      } finally {
        await sim.stop();
      }
    });
}
