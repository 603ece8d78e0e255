import { REST, Routes } from 'discord.js';
import { commandDefinitions } from './commands.js';
import { formSafeRequest } from './rest-request.js';

export interface RegisterCommandsOptions {
  token: string;
  applicationId: string;
  /** Register to one guild (instant) instead of globally. */
  guildId?: string;
  /** REST base, e.g. https://discord.com/api (DISCORD_API_URL). */
  apiUrl: string;
}

export interface RegisterResult {
  scope: 'global' | 'guild';
  /** Names of the commands Discord now has for the scope. */
  names: string[];
}

/**
 * Replaces the bot's commands with /video and "Animate this image" in one bulk PUT, so running
 * it again is harmless and stale commands disappear.
 */
export async function registerCommands(options: RegisterCommandsOptions): Promise<RegisterResult> {
  const rest = new REST({ api: options.apiUrl, makeRequest: formSafeRequest }).setToken(
    options.token,
  );
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const saved = (await rest.put(route, { body: commandDefinitions() })) as { name: string }[];
  return { scope: options.guildId ? 'guild' : 'global', names: saved.map((c) => c.name) };
}
