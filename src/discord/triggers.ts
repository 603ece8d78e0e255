import type { Message } from 'discord.js';
import type { Logger } from 'pino';
import { parseVideoCommand } from '../chat/command-parser.js';
import { isMediaFile, MAX_CHAT_FILES, wantsH3 } from '../chat/media-files.js';
import { asBotError, PolicyError } from '../core/errors.js';
import type { AdmissionTicket, VideoService } from '../core/video-service.js';
import { messageFor } from '../messages/index.js';
import { isDiscordAdmin } from './admin-check.js';
import type { DiscordRef } from './discord-ref.js';
import { langOf, t } from './i18n.js';
import { isImageAttachment, picksFromFiles, picksFromImages, promptFromMessage } from './inputs.js';
import type { JobStarter, OriginBase } from './job-starter.js';
import { NO_MENTIONS } from './safe-text.js';

export interface MessageTriggerOptions {
  starter: JobStarter;
  /** Decides the policy before anything is posted. */
  service: Pick<VideoService, 'admit'>;
  logger: Logger;
  /** Upload limit assumed for videos answering a message (no interaction tells it). */
  uploadLimitBytes: number;
  /** ADMIN_USERS: admins here as in every other command. */
  adminUsers: readonly string[];
  /** DEFAULT_MODEL: with MiniMax-H3, a message may carry up to 12 images, clips and voices. */
  defaultModel?: string;
}

/** How a message addressed the bot; undefined when it did not. */
export function triggerOf(
  message: Pick<Message, 'author' | 'content' | 'mentions' | 'reference' | 'guildId'>,
  botId: string,
): 'mention' | 'reply' | undefined {
  if (message.author.bot) return undefined;
  // In a direct message everything is addressed to the bot.
  if (!message.guildId) return 'mention';
  if (new RegExp(`<@!?${botId}>`).test(message.content)) return 'mention';
  // A reply pings its author by default; Discord then lists the bot among the mentions.
  if (message.reference && message.mentions.users.has(botId)) return 'reply';
  return undefined;
}

/**
 * Mentions of the bot and pinged replies to its messages, with one image (I2V), two (first and
 * last frame) or none (text to video, mentions only). These work without the Message Content
 * intent because Discord keeps content and attachments of messages that mention the bot.
 */
export class MessageTriggers {
  constructor(private readonly o: MessageTriggerOptions) {}

  async handle(message: Message, botId: string): Promise<void> {
    const trigger = triggerOf(message, botId);
    if (!trigger) return;
    try {
      await this.run(message, trigger);
    } catch (err) {
      this.o.logger.error({ err, messageId: message.id }, 'message trigger failed');
    }
  }

  private async run(message: Message, trigger: 'mention' | 'reply'): Promise<void> {
    // The same text options as Slack's mentions (`--model MiniMax-H3 --ratio 9:16`).
    const parsed = parseVideoCommand(promptFromMessage(message.content));
    const fields = parsed.kind === 'request' ? parsed.request : {};
    const h3 = wantsH3(fields.model, this.o.defaultModel);
    const images = [...message.attachments.values()].filter(h3 ? isMediaFile : isImageAttachment);
    const prompt = fields.prompt ?? '';
    // A pinged reply without a picture is conversation, not a request.
    if (trigger === 'reply' && images.length === 0) return;
    const lang = langOf(message.guild?.preferredLocale);
    const refusal =
      parsed.kind === 'error'
        ? parsed.message
        : h3 && images.length > MAX_CHAT_FILES
          ? t(lang, 'tooManyFiles', { n: images.length, max: MAX_CHAT_FILES })
          : !h3 && images.length > 2
            ? t(lang, 'tooManyImages', { n: images.length })
            : images.length === 0 && !prompt
              ? t(lang, 'needInput')
              : undefined;
    // Built before anything is posted, so a surprise here cannot leave a "⏳" behind.
    const origin: OriginBase = {
      platform: 'discord',
      userId: message.author.id,
      userName: message.author.globalName ?? message.author.username,
      channelId: message.channelId,
      ...(message.guildId ? { workspaceId: message.guildId } : {}),
      locale: lang,
      roles: message.member ? [...message.member.roles.cache.keys()] : [],
      isAdmin: isDiscordAdmin(message.member?.permissions, message.author.id, this.o.adminUsers),
    };
    // Policy first: a refused user gets one reply and costs no download.
    let ticket: AdmissionTicket | undefined;
    let policyRefusal: string | undefined;
    if (!refusal) {
      try {
        ticket = await this.o.service.admit({ ...origin, ref: {} });
      } catch (err) {
        const e = asBotError(err);
        if (!(e instanceof PolicyError)) this.o.logger.error({ err }, 'could not admit a message');
        policyRefusal = messageFor(e, origin.locale);
      }
    }
    const shown = refusal ?? policyRefusal;
    let reply: Message;
    try {
      reply = await message.reply({
        content: shown ? `❌ ${shown}` : '⏳',
        allowedMentions: NO_MENTIONS,
      });
    } catch (err) {
      await ticket?.release();
      throw err;
    }
    if (!ticket) return;
    const ref: DiscordRef = {
      channelId: message.channelId,
      ...(message.guildId ? { guildId: message.guildId } : {}),
      messageId: reply.id,
      messageCreatedAt: reply.createdTimestamp,
      attachmentSizeLimit: this.o.uploadLimitBytes,
      ...(message.guild?.preferredLocale ? { discordLocale: message.guild.preferredLocale } : {}),
    };
    await this.o.starter.start(
      origin,
      ref,
      `discord:message:${message.id}`,
      {
        fields,
        picks: h3
          ? picksFromFiles(images, parsed.kind === 'request' && parsed.asSubject)
          : parsed.kind === 'request' && parsed.asSubject && images[0]
            ? [{ slot: 'subject', attachment: images[0] }]
            : picksFromImages(images),
      },
      ticket,
    );
  }
}
