import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';

/**
 * One rule for every Discord command and button: Manage Server in that guild, or a listed
 * ADMIN_USERS id (the bot's owners, who may have no role in the guild at all).
 */
export function isDiscordAdmin(
  permissions: Readonly<PermissionsBitField> | null | undefined,
  userId: string,
  adminUsers: readonly string[],
): boolean {
  return (
    adminUsers.includes(userId) || (permissions?.has(PermissionFlagsBits.ManageGuild) ?? false)
  );
}
