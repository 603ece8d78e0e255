import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = join(ROOT, 'src/cli/index.ts');
// An absolute loader path, so the CLI can run from a temp working directory without node_modules.
const TSX = join(ROOT, 'node_modules/tsx/dist/loader.mjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Variables on top of a minimal environment (never the developer's own tokens). */
  env?: Record<string, string>;
  cwd: string;
}

/** Starts `minimax-video-bot <args>` from source as a child process. */
export function spawnCli(args: string[], options: CliOptions): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, ENTRY, ...args], {
    cwd: options.cwd,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: options.cwd,
      LOG_FORMAT: 'json',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to completion and collects its output. */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  const child = spawnCli(args, options);
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Lines a person would read on stderr (pino's JSON log lines left out). */
export function messageLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('{'));
}
