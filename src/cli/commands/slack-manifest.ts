import { Command, InvalidArgumentError } from 'commander';
import { slackManifest } from '../../slack/manifest.js';
import { type CliContext, println } from '../cli-context.js';

export function slackManifestCommand(ctx: CliContext): Command {
  return new Command('slack-manifest')
    .summary('print the Slack app manifest')
    .description(
      'Print the Slack app manifest (JSON) with the scopes, slash command and events the bot ' +
        'needs, to paste at api.slack.com/apps → Create New App → From a manifest. Socket Mode ' +
        'by default (no public URL needed); --http <public url> for HTTP mode.',
    )
    .option(
      '--http <url>',
      'public URL of the bot; Slack sends everything to <url>/slack/events',
      parseHttpsUrl,
    )
    .option('--name <name>', 'app and bot name', 'MiniMax Video')
    .addHelpText(
      'after',
      `
Examples:
  $ npm run -s slack:manifest > slack-manifest.json
  $ minimax-video-bot slack-manifest --http https://bot.example.com`,
    )
    .action((opts: { http?: string; name: string }) => {
      const manifest = slackManifest(
        opts.http
          ? { mode: 'http', publicUrl: opts.http, name: opts.name }
          : { mode: 'socket', name: opts.name },
      );
      println(ctx.stdout, JSON.stringify(manifest, null, 2));
    });
}

function parseHttpsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be a URL such as https://bot.example.com.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InvalidArgumentError('must start with https://.');
  return value;
}
