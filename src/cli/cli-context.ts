import type { Writable } from 'node:stream';
import type { Env } from '../config.js';

/** What every command gets from the entry point instead of reaching for globals. */
export interface CliContext {
  /** Environment after `.env` is applied; only `loadConfig` interprets it. */
  env: Env;
  cwd: string;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM; long-running commands stop gracefully when it fires. */
  signal: AbortSignal;
}

/** Writes one line (adds the newline). */
export function println(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}

/** Resolves when the signal aborts (SIGINT/SIGTERM), for commands that run until stopped. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
