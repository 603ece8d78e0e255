import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import type { Logger } from 'pino';
import { type UserStatusDeps, userStatusText } from '../chat/user-status.js';
import { isDiscordAdmin } from './admin-check.js';
import { type Lang, langOf, t } from './i18n.js';
import { scrubError } from './scrub.js';

export const STATUS_COMMAND = 'video-status';

/** `/video-status`: the caller's videos in progress and today's remaining quota (ephemeral). */
export function statusCommand(): SlashCommandBuilder {
  return new SlashCommandBuilder()
    .setName(STATUS_COMMAND)
    .setDescription('Show your videos in progress and how many you can still make today')
    .setDescriptionLocalizations({ 'zh-CN': '查看进行中的视频和今天剩余的额度' })
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);
}

export interface DiscordStatusDeps extends UserStatusDeps {
  logger: Logger;
}

/** The text of the answer; `isAdmin` is Manage Server in that guild, `lang` the user's. */
export function discordStatusText(
  deps: DiscordStatusDeps,
  who: { userId: string; guildId?: string; isAdmin?: boolean; lang?: Lang },
): Promise<string> {
  return userStatusText(deps, {
    platform: 'discord',
    userId: who.userId,
    ...(who.guildId ? { workspaceId: who.guildId } : {}),
    ...(who.isAdmin ? { isAdmin: true } : {}),
    ...(who.lang ? { lang: who.lang } : {}),
  });
}

/** Answers `/video-status` ephemerally; deferred first so a slow store never misses the 3 s. */
export async function handleStatusCommand(
  i: ChatInputCommandInteraction,
  deps: DiscordStatusDeps,
): Promise<void> {
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const lang = langOf(i.locale);
  let content: string;
  try {
    content = await discordStatusText(deps, {
      userId: i.user.id,
      ...(i.guildId ? { guildId: i.guildId } : {}),
      isAdmin: isDiscordAdmin(i.memberPermissions, i.user.id, deps.adminUsers),
      lang,
    });
  } catch (err) {
    deps.logger.error({ err: scrubError(err) }, 'could not read the status');
    content = t(lang, 'statusUnavailable');
  }
  await i.editReply({ content, allowedMentions: { parse: [] } });
}
