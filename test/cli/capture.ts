import { Writable } from 'node:stream';
import type { CliContext } from '../../src/cli/cli-context.js';

/** A CliContext whose output is kept in memory, for running commands in-process. */
export function captureContext(
  env: Record<string, string | undefined> = {},
  cwd = process.cwd(),
): CliContext & { out(): string; err(): string; abort(): void } {
  const chunks = { out: '', err: '' };
  const sink = (key: 'out' | 'err') =>
    new Writable({
      write(chunk, _enc, done) {
        chunks[key] += String(chunk);
        done();
      },
    });
  const controller = new AbortController();
  return {
    env,
    cwd,
    stdout: sink('out'),
    stderr: sink('err'),
    signal: controller.signal,
    out: () => chunks.out,
    err: () => chunks.err,
    abort: () => controller.abort(),
  };
}
