import { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createApp } from '../../main.js';
import { type CliContext, untilAborted } from '../cli-context.js';

export function serveCommand(ctx: CliContext): Command {
  return new Command('serve')
    .summary('run the bot (default command)')
    .description(
      'Run the bot: every adapter whose tokens are set (Discord, Slack) plus the HTTP server ' +
        '(/healthz, /metrics, Slack HTTP mode, MiniMax callbacks, video links). Unfinished jobs ' +
        'from an earlier run, including interrupted `generate` jobs, are resumed.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ minimax-video-bot serve
  $ PORT=8080 LOG_LEVEL=debug minimax-video-bot serve
  $ npm start`,
    )
    .action(async () => {
      const config = loadConfig(ctx.env);
      const app = await createApp(config);
      try {
        await app.start();
        await untilAborted(ctx.signal);
      } finally {
        await app.stop();
      }
    });
}
