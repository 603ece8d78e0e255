import { Command, CommanderError } from 'commander';
import type { CliContext } from './cli-context.js';
import { println } from './cli-context.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { generateCommand } from './commands/generate.js';
import { registerCommand } from './commands/register.js';
import { serveCommand } from './commands/serve.js';
import { simulateCommand } from './commands/simulate.js';
import { slackManifestCommand } from './commands/slack-manifest.js';
import { describeFailure, EXIT_BAD_INPUT } from './exit-codes.js';

/** The `minimax-video-bot` command line; `serve` is the default command. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('minimax-video-bot')
    .description(
      'Discord and Slack bot that turns prompts and photos into MiniMax Hailuo videos. ' +
        'Settings come from environment variables or a .env file in the working directory.',
    )
    .version('0.1.0')
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    `
Examples:
  $ minimax-video-bot                       start the bot (same as "serve")
  $ minimax-video-bot demo                  make a video against the built-in simulator
  $ minimax-video-bot generate --prompt "a cat surfing [Tracking shot]" --out cat.mp4
  $ minimax-video-bot doctor                check settings, key region and reachability`,
  );
  for (const make of [
    serveCommand,
    generateCommand,
    demoCommand,
    simulateCommand,
    registerCommand,
    slackManifestCommand,
    doctorCommand,
  ]) {
    // Sub-commands inherit the output and exit behaviour so errors come back as exceptions.
    const command = make(ctx).exitOverride();
    command.configureOutput(program.configureOutput());
    program.addCommand(command, command.name() === 'serve' ? { isDefault: true } : undefined);
  }
  return program;
}

/** Runs the CLI and returns the exit code; every failure ends as one line on stderr. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  try {
    await createProgram(ctx).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the message (or the help/version text).
      return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    const { line, exitCode } = describeFailure(err);
    if (line) println(ctx.stderr, line);
    return exitCode;
  }
}
