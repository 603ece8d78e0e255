import type { Simulator, SimulatorOptions, TimelineMs } from './sim-types.js';
import { createSimulator } from './simulator.js';

export interface SimulateCommandOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Creates per minute before answering 1002; unlimited when omitted. */
  rpm?: number;
  apiKey?: string;
  timelineMs?: Partial<TimelineMs>;
  videoPath?: string;
  videoBytes?: number;
  downloadUrlTtlMs?: number;
  failSpelling?: 'Fail' | 'Failed';
  /** Log every request (one line each). */
  verbose?: boolean;
  /** Where the URL, key and request lines go (the CLI passes its stdout writer). */
  print: (line: string) => void;
}

/**
 * Backs `minimax-video-bot simulate`: starts the simulator and prints how to point the bot at it.
 * The caller owns the process lifetime and calls `stop()` on SIGINT/SIGTERM.
 */
export async function runSimulatorCommand(opts: SimulateCommandOptions): Promise<Simulator> {
  const { print, verbose, ...rest } = opts;
  const options: SimulatorOptions = { ...rest };
  if (verbose) options.logger = (line) => print(line);
  // Human-speed default so a person can watch the statuses move.
  options.timelineMs ??= { preparing: 2_000, queueing: 3_000, processing: 10_000 };
  const sim = await createSimulator(options);
  print(`MiniMax simulator listening on ${sim.url}`);
  print(`  MINIMAX_BASE_URL=${sim.url}`);
  print(`  MINIMAX_API_KEY=${sim.apiKey}`);
  if (opts.rpm !== undefined) print(`  rate limit: ${opts.rpm} creates per minute (then 1002)`);
  print(
    'Prompt markers: [[moderation]] (1026), [[fail]] (task fails), [[output-moderation]] (fails with 1027).',
  );
  return sim;
}
