import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type GuildMember,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { VideoService } from '../core/video-service.js';
import { isDiscordAdmin } from './admin-check.js';
import { ADMIN_COMMAND, type DiscordAdminDeps, handleAdminCommand } from './admin-command.js';
import { ANIMATE_COMMAND, VIDEO_COMMAND } from './commands.js';
import {
  DASHBOARD_COMMAND,
  type DashboardCommandDeps,
  handleDashboardCommand,
} from './dashboard-command.js';
import { type DiscordRef, TOKEN_LIFETIME_MS, TOKEN_SAFETY_MS } from './discord-ref.js';
import { langOf, t } from './i18n.js';
import {
  fromSlashOptions,
  hasContent,
  isImageAttachment,
  picksFromImages,
  promptFromMessage,
} from './inputs.js';
import type { JobStarter, OriginBase } from './job-starter.js';
import type { MessageEditor } from './message-editor.js';
import { decodeCarried, fromModal, videoModal } from './modal.js';
import { BUTTON, parseButtonId, renderRefusal } from './progress-message.js';
import { scrubError } from './scrub.js';
import { type DiscordStatusDeps, handleStatusCommand, STATUS_COMMAND } from './status-command.js';

export interface InteractionHandlerOptions {
  service: VideoService;
  starter: JobStarter;
  editor: Pick<MessageEditor, 'editRef'>;
  clock: Clock;
  logger: Logger;
  status: DiscordStatusDeps;
  admin: DiscordAdminDeps;
  dashboard: DashboardCommandDeps;
  /** DEFAULT_MODEL: the modal offers MiniMax-H3 references when the request will go there. */
  defaultModel?: string;
}

/**
 * Slash command, modal, context menu and buttons. Each path acknowledges Discord before it awaits
 * anything of the core, so the 3-second deadline holds however busy the bot is.
 */
export class InteractionHandler {
  constructor(private readonly o: InteractionHandlerOptions) {}

  async handle(i: Interaction): Promise<void> {
    try {
      if (i.isChatInputCommand() && i.commandName === VIDEO_COMMAND) return await this.onVideo(i);
      if (i.isChatInputCommand() && i.commandName === STATUS_COMMAND)
        return await handleStatusCommand(i, this.o.status);
      if (i.isChatInputCommand() && i.commandName === DASHBOARD_COMMAND)
        return await handleDashboardCommand(i, this.o.dashboard);
      if (i.isChatInputCommand() && i.commandName === ADMIN_COMMAND)
        return await handleAdminCommand(i, this.o.admin);
      if (i.isModalSubmit() && decodeCarried(i.customId)) return await this.onModal(i);
      if (i.isMessageContextMenuCommand() && i.commandName === ANIMATE_COMMAND)
        return await this.onAnimate(i);
      if (i.isButton() && parseButtonId(i.customId)) return await this.onButton(i);
    } catch (err) {
      this.o.logger.error({ err: scrubError(err), interactionId: i.id }, 'interaction failed');
    }
  }

  private async onVideo(i: ChatInputCommandInteraction): Promise<void> {
    const pending = fromSlashOptions(i);
    if (!hasContent(pending)) {
      await i.showModal(videoModal(langOf(i.locale), pending.fields, this.o.defaultModel));
      return;
    }
    const ref = await this.defer(i);
    await this.o.starter.start(
      originOf(i, this.o.admin.adminUsers),
      ref,
      `discord:${i.id}`,
      pending,
    );
  }

  private async onModal(i: ModalSubmitInteraction): Promise<void> {
    const ref = await this.defer(i);
    const pending = fromModal(i, decodeCarried(i.customId) ?? {});
    await this.o.starter.start(
      originOf(i, this.o.admin.adminUsers),
      ref,
      `discord:${i.id}`,
      pending,
    );
  }

  private async onAnimate(i: MessageContextMenuCommandInteraction): Promise<void> {
    const ref = await this.defer(i);
    const images = [...i.targetMessage.attachments.values()].filter(isImageAttachment);
    const lang = langOf(i.locale);
    const refusal =
      images.length === 0
        ? t(lang, 'noImage')
        : images.length > 2
          ? t(lang, 'tooManyImages', { n: images.length })
          : undefined;
    if (refusal) {
      await this.o.editor.editRef(undefined, ref, renderRefusal(refusal));
      return;
    }
    const prompt = promptFromMessage(i.targetMessage.content);
    await this.o.starter.start(originOf(i, this.o.admin.adminUsers), ref, `discord:${i.id}`, {
      fields: prompt ? { prompt } : {},
      picks: picksFromImages(images),
    });
  }

  private async onButton(i: ButtonInteraction): Promise<void> {
    const parsed = parseButtonId(i.customId)!;
    const lang = langOf(i.locale);
    if (parsed.action === BUTTON.cancel) {
      const admin = isAdmin(i, this.o.admin.adminUsers);
      if (parsed.requesterId && parsed.requesterId !== i.user.id && !admin) {
        await i.reply({ content: t(lang, 'onlyRequester'), flags: MessageFlags.Ephemeral });
        return;
      }
      await i.deferUpdate();
      const outcome = await this.o.service.cancel(parsed.jobId, i.user.id, {
        isAdmin: admin,
        platform: 'discord',
        ...(i.guildId ? { workspaceId: i.guildId } : {}),
      });
      const sentence =
        outcome === 'not_allowed'
          ? t(lang, 'onlyRequester')
          : outcome === 'too_late'
            ? t(lang, 'tooLate')
            : outcome === 'not_found'
              ? t(lang, 'unknownJob')
              : undefined;
      // The message itself turns into "Cancelled" through the job's progress events.
      if (sentence) await i.followUp({ content: sentence, flags: MessageFlags.Ephemeral });
      return;
    }
    const ref = await this.defer(i);
    await this.o.starter.start(originOf(i, this.o.admin.adminUsers), ref, `discord:${i.id}`, {
      resubmitOf: parsed.jobId,
      ...(parsed.action === BUTTON.variations ? { vary: true } : {}),
      ...(parsed.action === BUTTON.upscale ? { upscale: true } : {}),
    });
  }

  /** Deferred, visible reply; the response's message id is kept for edits after 15 minutes. */
  private async defer(i: RepliableInteraction): Promise<DiscordRef> {
    const receivedAt = this.o.clock.now();
    let messageId: string | undefined;
    try {
      const response = await i.deferReply({ withResponse: true });
      messageId =
        response.interaction.responseMessageId ?? response.resource?.message?.id ?? undefined;
    } catch (err) {
      // Acknowledged, but the callback answer was not the documented body (a proxy answering
      // 204, say): the deferral stands, so fetch the message id instead of failing the command.
      if (!i.deferred) throw err;
      this.o.logger.debug({ err: scrubError(err) }, 'interaction callback had no response body');
    }
    if (!messageId) messageId = (await i.fetchReply()).id;
    return {
      channelId: i.channelId ?? '',
      ...(i.guildId ? { guildId: i.guildId } : {}),
      messageId,
      messageCreatedAt: receivedAt,
      applicationId: i.applicationId,
      interactionToken: i.token,
      // Counted from receipt on the injected clock: testable, and never later than Discord's.
      tokenExpiresAt: receivedAt + TOKEN_LIFETIME_MS - TOKEN_SAFETY_MS,
      ...(i.attachmentSizeLimit ? { attachmentSizeLimit: i.attachmentSizeLimit } : {}),
      discordLocale: i.locale,
    };
  }
}

function isAdmin(i: Interaction, adminUsers: readonly string[]): boolean {
  return isDiscordAdmin(i.memberPermissions, i.user.id, adminUsers);
}

function rolesOf(i: Interaction): string[] {
  const member = i.member as GuildMember | { roles: string[] } | null;
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}

/** The requester as the core sees them; Manage Server or ADMIN_USERS makes an admin. */
export function originOf(i: Interaction, adminUsers: readonly string[]): OriginBase {
  return {
    platform: 'discord',
    userId: i.user.id,
    userName: i.user.globalName ?? i.user.username,
    channelId: i.channelId ?? '',
    ...(i.guildId ? { workspaceId: i.guildId } : {}),
    locale: langOf(i.locale),
    roles: rolesOf(i),
    isAdmin: isAdmin(i, adminUsers),
  };
}
