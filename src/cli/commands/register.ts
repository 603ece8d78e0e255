import { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { type CliContext, println } from '../cli-context.js';
import { EXIT_BAD_INPUT, ExitError } from '../exit-codes.js';

export function registerCommand(ctx: CliContext): Command {
  return new Command('register')
    .summary('register the Discord commands')
    .description(
      'Register the Discord commands (/video and the "Animate this image" context menu): ' +
        'globally, or to DISCORD_GUILD_ID, where they appear at once. Running it again replaces ' +
        'them, so it is safe to repeat after an upgrade.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ npm run register
  $ DISCORD_GUILD_ID=123456789012345678 minimax-video-bot register`,
    )
    .action(async () => {
      const config = loadConfig(ctx.env);
      if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID)
        throw new ExitError(
          EXIT_BAD_INPUT,
          'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID to register the Discord commands.',
        );
      const { registerCommands } = await import('../../discord/register.js');
      const result = await registerCommands({
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        apiUrl: config.DISCORD_API_URL,
        ...(config.DISCORD_GUILD_ID ? { guildId: config.DISCORD_GUILD_ID } : {}),
      });
      const where =
        result.scope === 'guild'
          ? `to guild ${config.DISCORD_GUILD_ID} (available now)`
          : 'globally (Discord clients pick them up within minutes)';
      println(ctx.stdout, `Registered ${result.names.join(', ')} ${where}.`);
    });
}
