import { CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { BotError, InputError, PolicyError } from '../core/errors.js';

export const EXIT_OK = 0;
/** The work itself failed (generation failed, a check did not pass). */
export const EXIT_FAILED = 1;
/** The user must change something first: a bad setting, option or input file. */
export const EXIT_BAD_INPUT = 2;

/** Thrown by commands that already printed what went wrong and only need to set the exit code. */
export class ExitError extends Error {
  override name = 'ExitError';
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}

/** One line for the terminal and the exit code, for anything a command throws. */
export function describeFailure(err: unknown): { line: string; exitCode: number } {
  if (err instanceof ExitError) return { line: err.message, exitCode: err.exitCode };
  if (err instanceof ConfigError) return { line: err.message, exitCode: EXIT_BAD_INPUT };
  if (err instanceof InputError || err instanceof PolicyError)
    return { line: err.userMessage, exitCode: EXIT_BAD_INPUT };
  if (err instanceof CommanderError)
    return { line: '', exitCode: err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT };
  if (err instanceof BotError) return { line: err.userMessage, exitCode: EXIT_FAILED };
  const message = err instanceof Error ? err.message : String(err);
  return { line: `Unexpected error: ${message}`, exitCode: EXIT_FAILED };
}
