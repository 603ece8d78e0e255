import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import type { Logger } from 'pino';
import type { DashboardLinks } from '../dashboard/sign-in-links.js';
import { isDiscordAdmin } from './admin-check.js';
import { langOf, t } from './i18n.js';
import { scrubError } from './scrub.js';

export const DASHBOARD_COMMAND = 'video-dashboard';

/** `/video-dashboard`: a private one-time sign-in link to the server's dashboard. */
export function dashboardCommand(): SlashCommandBuilder {
  return new SlashCommandBuilder()
    .setName(DASHBOARD_COMMAND)
    .setDescription("Open this server's video dashboard: gallery, queue and spend (private link)")
    .setDescriptionLocalizations({
      'zh-CN': '打开本服务器的视频面板：视频库、队列和花费（私密链接）',
    })
    .setContexts(InteractionContextType.Guild);
}

export interface DashboardCommandDeps {
  links?: DashboardLinks;
  adminUsers: readonly string[];
  logger: Logger;
}

/** Answers ephemerally, so only the caller ever sees the link. */
export async function handleDashboardCommand(
  i: ChatInputCommandInteraction,
  deps: DashboardCommandDeps,
): Promise<void> {
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const lang = langOf(i.locale);
  if (!i.guildId) return void (await i.editReply(t(lang, 'dashboardGuildOnly')));
  let content: string;
  try {
    const url = await deps.links?.create({
      platform: 'discord',
      workspaceId: i.guildId,
      userId: i.user.id,
      isAdmin: isDiscordAdmin(i.memberPermissions, i.user.id, deps.adminUsers),
      name: i.user.globalName ?? i.user.username,
    });
    content = url ? t(lang, 'dashboardLink', { url }) : t(lang, 'dashboardNoUrl');
  } catch (err) {
    deps.logger.error({ err: scrubError(err) }, 'could not make a dashboard link');
    content = t(lang, 'dashboardUnavailable');
  }
  await i.editReply(content);
}
