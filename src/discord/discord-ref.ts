import type { Job } from '../core/jobs/job.js';

/** Discord's default per-file upload limit since January 2025 (10 MiB). */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/** Interaction tokens live 15 minutes; switch to the bot token a minute early. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;
export const TOKEN_SAFETY_MS = 60_000;

/**
 * What the Discord adapter keeps in `job.origin.ref` so it can update and finish the job's
 * message after a restart or after the interaction token has expired.
 */
export type DiscordRef = {
  channelId: string;
  guildId?: string;
  /** The progress message (the deferred reply, or the bot's reply to a mention). */
  messageId?: string;
  /** When the progress message was created (epoch ms); edits thin out once it is an hour old. */
  messageCreatedAt?: number;
  applicationId?: string;
  interactionToken?: string;
  /** After this (epoch ms), edits go through the bot token and the channel API. */
  tokenExpiresAt?: number;
  /** Set after Discord refused the token (401/404/50027): never use it again. */
  tokenDead?: boolean;
  /** The interaction's `attachment_size_limit` in bytes. */
  attachmentSizeLimit?: number;
  /** The user's Discord locale, e.g. `zh-CN`. */
  discordLocale?: string;
  /** Message that carries the finished video (set once delivered). */
  deliveredMessageId?: string;
};

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** Reads the adapter's fields back from a stored job, tolerating missing or odd values. */
export function discordRefOf(job: Job): DiscordRef {
  const r = job.origin.ref;
  const ref: DiscordRef = { channelId: str(r.channelId) ?? job.origin.channelId };
  const copy = <K extends keyof DiscordRef>(key: K, value: DiscordRef[K] | undefined) => {
    if (value !== undefined) ref[key] = value;
  };
  copy('guildId', str(r.guildId));
  copy('messageId', str(r.messageId));
  copy('messageCreatedAt', num(r.messageCreatedAt));
  copy('applicationId', str(r.applicationId));
  copy('interactionToken', str(r.interactionToken));
  copy('tokenExpiresAt', num(r.tokenExpiresAt));
  copy('tokenDead', r.tokenDead === true ? true : undefined);
  copy('attachmentSizeLimit', num(r.attachmentSizeLimit));
  copy('discordLocale', str(r.discordLocale));
  copy('deliveredMessageId', str(r.deliveredMessageId));
  return ref;
}

/** A link to a message that Discord clients open in place. */
export function messageLink(ref: DiscordRef, messageId: string): string {
  return `https://discord.com/channels/${ref.guildId ?? '@me'}/${ref.channelId}/${messageId}`;
}
