#!/usr/bin/env node
import { shutdownSignal } from '../main.js';
import { loadEnv } from './load-env.js';
import { runCli } from './program.js';

// `minimax-video-bot slack-manifest | head` closes the pipe early; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const cwd = process.cwd();
// The core unrefs its timers so it never holds a host process open; the CLI's process, though,
// must live until its command is done, including while a job waits between polls or stops.
const keepAlive = setInterval(() => {}, 60_000);
const code = await runCli(process.argv.slice(2), {
  env: loadEnv(cwd),
  cwd,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: shutdownSignal(),
}).finally(() => clearInterval(keepAlive));
process.exitCode = code;
// Every command has finished its work here; a library socket left open (a Redis reconnect
// loop, a keep-alive connection) must not keep the process alive.
setTimeout(() => process.exit(code), 2_000).unref();
