import { Command, InvalidArgumentError } from 'commander';
import { runSimulatorCommand } from '../../simulator/index.js';
import { type CliContext, println, untilAborted } from '../cli-context.js';

/** `--fast`: about half a second per task, for demos and scripted checks. */
const FAST_MS = { preparing: 50, queueing: 50, processing: 300 };

export function simulateCommand(ctx: CliContext): Command {
  return new Command('simulate')
    .summary('run the MiniMax simulator on a port')
    .description(
      'Run the built-in MiniMax simulator (the three V1 endpoints, bearer auth, callbacks and ' +
        'fault markers) and print the settings that point the bot at it.',
    )
    .option('--port <n>', 'port to listen on (0 = any free port)', parsePort, 8090)
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .option('--api-key <key>', 'bearer key the simulator accepts', 'simulator-key')
    .option('--rpm <n>', 'creates per minute before it answers 1002 (rate limit)', parsePositive)
    .option('--fast', 'finish tasks in about half a second instead of about 15 seconds')
    .option('--processing-ms <ms>', 'how long a task stays Processing', parsePositive)
    .option('--video <file>', 'MP4 to serve for every finished task (default: assets/sample.mp4)')
    .option('--download-ttl-ms <ms>', 'lifetime of download URLs (default 1 hour)', parsePositive)
    .option('--verbose', 'print one line per request')
    .addHelpText(
      'after',
      `
Prompts containing [[fail]] end in Fail, [[moderation]] are refused with 1026 and
[[output-moderation]] fail with 1027.

Examples:
  $ minimax-video-bot simulate --fast --verbose
  $ minimax-video-bot simulate --port 9000 --rpm 5
  then, in another terminal:
  $ MINIMAX_BASE_URL=http://127.0.0.1:8090 MINIMAX_API_KEY=simulator-key POLL_MIN_S=0.5 POLL_MAX_S=2 \\
      minimax-video-bot generate --prompt "a cat surfing"`,
    )
    .action(async (opts: SimulateOptions) => {
      let timelineMs: { preparing?: number; queueing?: number; processing?: number } | undefined =
        opts.fast ? { ...FAST_MS } : undefined;
      if (opts.processingMs !== undefined)
        timelineMs = { ...timelineMs, processing: opts.processingMs };
      const sim = await runSimulatorCommand({
        port: opts.port,
        host: opts.host,
        apiKey: opts.apiKey,
        rpm: opts.rpm,
        timelineMs,
        videoPath: opts.video,
        downloadUrlTtlMs: opts.downloadTtlMs,
        verbose: opts.verbose,
        print: (line) => println(ctx.stdout, line),
      });
      println(ctx.stdout, 'Press Ctrl+C to stop.');
      await untilAborted(ctx.signal);
      await sim.stop();
    });
}

interface SimulateOptions {
  port: number;
  host: string;
  apiKey: string;
  rpm?: number;
  fast?: boolean;
  processingMs?: number;
  video?: string;
  downloadTtlMs?: number;
  verbose?: boolean;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('must be a port number from 0 to 65535.');
  return n;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number.');
  return n;
}
