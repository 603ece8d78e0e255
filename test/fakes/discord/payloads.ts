import type {
  APIAttachment,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIUser,
} from 'discord-api-types/v10';

const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** Snowflakes as Discord makes them (creation time in the top bits), plus a counter so they sort. */
export class Snowflakes {
  private n = 0n;
  next(): string {
    this.n += 1n;
    return String(((BigInt(Date.now()) - DISCORD_EPOCH_MS) << 22n) | (this.n & 0x3fffffn));
  }
}

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export function apiUser(u: FakeUser): APIUser {
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: u.username,
    avatar: null,
    ...(u.bot ? { bot: true } : {}),
  };
}

/** Everything discord.js reads from an interaction's `member`; permissions as a decimal string. */
export function interactionMember(
  u: FakeUser,
  opts: { roles?: string[]; permissions?: bigint; at: string },
): APIInteractionGuildMember {
  return {
    user: apiUser(u),
    roles: opts.roles ?? [],
    joined_at: opts.at,
    deaf: false,
    mute: false,
    flags: 0,
    permissions: String(opts.permissions ?? 0n),
    nick: null,
    avatar: null,
    banner: null,
  } as unknown as APIInteractionGuildMember;
}

export function guildCreate(opts: {
  guildId: string;
  channelId: string;
  bot: FakeUser;
  at: string;
  preferredLocale?: string;
}) {
  const botMember: APIGuildMember = {
    user: apiUser(opts.bot),
    roles: [],
    joined_at: opts.at,
    deaf: false,
    mute: false,
    flags: 0,
  } as unknown as APIGuildMember;
  return {
    id: opts.guildId,
    name: 'Fake Guild',
    icon: null,
    owner_id: '1',
    unavailable: false,
    joined_at: opts.at,
    member_count: 2,
    large: false,
    preferred_locale: opts.preferredLocale ?? 'en-US',
    // The @everyone role shares the guild id; View/Send/Attach/Read history so the bot can post.
    roles: [
      {
        id: opts.guildId,
        name: '@everyone',
        permissions: String((1n << 10n) | (1n << 11n) | (1n << 15n) | (1n << 16n)),
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    channels: [
      {
        id: opts.channelId,
        type: 0,
        guild_id: opts.guildId,
        name: 'videos',
        position: 0,
        permission_overwrites: [],
        nsfw: false,
        parent_id: null,
      },
    ],
    members: [botMember],
    threads: [],
    presences: [],
    voice_states: [],
    emojis: [],
    stickers: [],
    features: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A full message object as REST returns it and the gateway dispatches it. */
export function message(opts: {
  id: string;
  channelId: string;
  author: FakeUser;
  content?: string;
  at: string;
  attachments?: APIAttachment[];
  mentions?: FakeUser[];
  flags?: number;
  components?: unknown[];
  reference?: { messageId: string; channelId: string; guildId?: string };
  interactionMetadata?: Record<string, unknown>;
}): APIMessage {
  return {
    id: opts.id,
    type: opts.reference ? 19 : opts.interactionMetadata ? 20 : 0,
    channel_id: opts.channelId,
    author: apiUser(opts.author),
    content: opts.content ?? '',
    timestamp: opts.at,
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: (opts.mentions ?? []).map(apiUser),
    mention_roles: [],
    attachments: opts.attachments ?? [],
    embeds: [],
    pinned: false,
    flags: opts.flags ?? 0,
    components: (opts.components ?? []) as APIMessage['components'],
    ...(opts.reference
      ? {
          message_reference: {
            type: 0,
            message_id: opts.reference.messageId,
            channel_id: opts.reference.channelId,
            ...(opts.reference.guildId ? { guild_id: opts.reference.guildId } : {}),
          },
        }
      : {}),
    ...(opts.interactionMetadata ? { interaction_metadata: opts.interactionMetadata } : {}),
  } as APIMessage;
}

export function attachment(opts: {
  id: string;
  filename: string;
  size: number;
  url: string;
  contentType?: string;
  width?: number;
  height?: number;
}): APIAttachment {
  return {
    id: opts.id,
    filename: opts.filename,
    size: opts.size,
    url: opts.url,
    proxy_url: opts.url,
    ...(opts.contentType ? { content_type: opts.contentType } : {}),
    ...(opts.width ? { width: opts.width, height: opts.height } : {}),
  } as APIAttachment;
}
