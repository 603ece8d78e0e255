import {
  type ChatInputCommandInteraction,
  type GuildMember,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import type { Logger } from 'pino';
import { type AdminChange, type AdminPolicy, applyAdminChange } from '../chat/admin-change.js';
import { asBotError, PolicyError } from '../core/errors.js';
import type { JobOrigin } from '../core/jobs/job.js';
import { messageFor } from '../messages/index.js';
import { isDiscordAdmin } from './admin-check.js';
import { type Lang, langOf } from './i18n.js';
import { scrubError } from './scrub.js';

export const ADMIN_COMMAND = 'video-admin';
export const ADMIN_SUB = {
  show: 'show',
  userLimit: 'limit-user',
  teamLimit: 'limit-team',
  channels: 'channels',
  reset: 'reset',
  budget: 'budget-team',
} as const;

/**
 * `/video-admin`: per-server overrides of the env limits. Hidden from members without Manage
 * Server (default_member_permissions); ADMIN_USERS may use it anywhere the command is visible.
 */
export function adminCommand(): SlashCommandBuilder {
  const cmd = new SlashCommandBuilder()
    .setName(ADMIN_COMMAND)
    .setDescription('Change who may make videos here and how many')
    .setDescriptionLocalizations({ 'zh-CN': '设置本服务器的视频额度和频道' })
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild);
  cmd.addSubcommand((s) => s.setName(ADMIN_SUB.show).setDescription('Show the limits in force'));
  for (const [name, what] of [
    [ADMIN_SUB.userLimit, 'Videos each person may make per day (0 = unlimited)'],
    [ADMIN_SUB.teamLimit, 'Videos the whole server may make per day (0 = unlimited)'],
  ] as const) {
    cmd.addSubcommand((s) =>
      s
        .setName(name)
        .setDescription(what)
        .addIntegerOption((o) =>
          o
            .setName('count')
            .setDescription(what)
            .setMinValue(0)
            .setMaxValue(100_000)
            .setRequired(true),
        ),
    );
  }
  cmd.addSubcommand((s) =>
    s
      .setName(ADMIN_SUB.channels)
      .setDescription('Channels where videos may be made')
      .addStringOption((o) =>
        o
          .setName('channels')
          .setDescription('#channel mentions or ids, or "any"')
          .setMaxLength(1000)
          .setRequired(true),
      ),
  );
  cmd.addSubcommand((s) =>
    s
      .setName(ADMIN_SUB.reset)
      .setDescription("Go back to the bot's own setting")
      .addStringOption((o) =>
        o
          .setName('setting')
          .setDescription('Which setting')
          .setRequired(true)
          .addChoices(
            { name: 'per-person limit', value: 'user' },
            { name: 'server budget', value: 'team' },
            { name: 'channels', value: 'channels' },
            { name: 'server money budget per day', value: 'budget-day' },
            { name: 'server money budget per month', value: 'budget-month' },
          ),
      ),
  );
  cmd.addSubcommand((s) =>
    s
      .setName(ADMIN_SUB.budget)
      .setDescription("The server's money budget (price table currency; 0 = none)")
      .addStringOption((o) =>
        o
          .setName('period')
          .setDescription('Per day or per month')
          .setRequired(true)
          .addChoices({ name: 'per day', value: 'day' }, { name: 'per month', value: 'month' }),
      )
      .addNumberOption((o) =>
        o
          .setName('amount')
          .setDescription('Most the server may spend')
          .setMinValue(0)
          .setRequired(true),
      ),
  );
  return cmd;
}

/** The options of one `/video-admin` call, as plain values (what the handler reads). */
export interface AdminOptions {
  subcommand: string;
  count?: number | null;
  channels?: string | null;
  setting?: string | null;
  period?: string | null;
  amount?: number | null;
}

/** What the admin must fix, in both languages (the admin's Discord locale picks one). */
const HINTS = {
  badNumber: {
    en: 'Give the limit as a whole number, 0 or more (0 means unlimited).',
    zh: '请把限额写成 0 或更大的整数（0 表示不限）。',
  },
  channels: {
    en: 'List channels as #mentions or ids separated by spaces, or write any for every channel.',
    zh: '请用 #提及 或频道 ID 列出频道（以空格分隔），或写 any 表示所有频道。',
  },
  resetWhich: {
    en: 'Pick which setting to reset: per-person limit, server budget or channels.',
    zh: '请选择要重置的设置：每人限额、服务器总额度或频道。',
  },
  unknown: {
    en: 'That admin command is unknown; try /video-admin show.',
    zh: '未知的管理命令；请试试 /video-admin show。',
  },
  disabled: {
    en: 'Admin commands are not enabled in this bot.',
    zh: '此机器人未启用管理命令。',
  },
} satisfies Record<string, Record<Lang, string>>;

/** Turns the options into a change, or a sentence (in `lang`) saying what to fix. */
export function adminChangeOf(o: AdminOptions, lang: Lang = 'en'): AdminChange | { error: string } {
  switch (o.subcommand) {
    case ADMIN_SUB.show:
      return { kind: 'show' };
    case ADMIN_SUB.userLimit:
    case ADMIN_SUB.teamLimit: {
      const n = o.count;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        return { error: HINTS.badNumber[lang] };
      return o.subcommand === ADMIN_SUB.userLimit
        ? { kind: 'user_limit', limit: n }
        : { kind: 'team_limit', limit: n };
    }
    case ADMIN_SUB.channels: {
      const text = (o.channels ?? '').trim();
      if (/^(any|all)$/i.test(text)) return { kind: 'channels', channels: 'any' };
      const words = text.split(/[\s,]+/).filter(Boolean);
      const ids = words.map((w) => /^(?:<#)?(\d{5,25})>?$/.exec(w)?.[1]);
      if (ids.length === 0 || ids.some((id) => id === undefined))
        return { error: HINTS.channels[lang] };
      return { kind: 'channels', channels: [...new Set(ids as string[])] };
    }
    case ADMIN_SUB.reset: {
      if (o.setting === 'user') return { kind: 'user_limit', limit: 'default' };
      if (o.setting === 'team') return { kind: 'team_limit', limit: 'default' };
      if (o.setting === 'channels') return { kind: 'channels', channels: 'default' };
      if (o.setting === 'budget-day')
        return { kind: 'team_budget', period: 'day', amount: 'default' };
      if (o.setting === 'budget-month')
        return { kind: 'team_budget', period: 'month', amount: 'default' };
      return { error: HINTS.resetWhich[lang] };
    }
    case ADMIN_SUB.budget: {
      const amount = o.amount;
      if ((o.period !== 'day' && o.period !== 'month') || typeof amount !== 'number' || amount < 0)
        return { error: HINTS.badNumber[lang] };
      return { kind: 'team_budget', period: o.period, amount };
    }
    default:
      return { error: HINTS.unknown[lang] };
  }
}

export interface DiscordAdminDeps {
  /** Undefined: the command answers that admin commands are off. */
  policy: AdminPolicy | undefined;
  adminUsers: readonly string[];
  logger: Logger;
}

/**
 * The one-sentence answer for `by` (an origin with `isAdmin` = Manage Server), in the language
 * of `by.locale`. Never throws.
 */
export async function discordAdminAnswer(
  deps: DiscordAdminDeps,
  by: JobOrigin,
  options: AdminOptions,
): Promise<string> {
  const lang = langOf(by.locale);
  const change = adminChangeOf(options, lang);
  if ('error' in change) return change.error;
  if (!deps.policy) return HINTS.disabled[lang];
  try {
    return await applyAdminChange(deps.policy, by, change);
  } catch (err) {
    if (!(err instanceof PolicyError))
      deps.logger.error({ err: scrubError(err) }, 'admin command failed');
    return messageFor(asBotError(err), by.locale);
  }
}

/** Answers `/video-admin …` ephemerally with one sentence. */
export async function handleAdminCommand(
  i: ChatInputCommandInteraction,
  deps: DiscordAdminDeps,
): Promise<void> {
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const member = i.member as GuildMember | { roles: string[] } | null;
  const roles = !member
    ? []
    : Array.isArray(member.roles)
      ? member.roles
      : [...member.roles.cache.keys()];
  const by: JobOrigin = {
    platform: 'discord',
    userId: i.user.id,
    channelId: i.channelId ?? '',
    ...(i.guildId ? { workspaceId: i.guildId } : {}),
    locale: langOf(i.locale),
    roles,
    isAdmin: isDiscordAdmin(i.memberPermissions, i.user.id, deps.adminUsers),
    ref: {},
  };
  const content = await discordAdminAnswer(deps, by, {
    subcommand: i.options.getSubcommand(false) ?? '',
    count: i.options.getInteger('count'),
    period: i.options.getString('period'),
    amount: i.options.getNumber('amount'),
    channels: i.options.getString('channels'),
    setting: i.options.getString('setting'),
  });
  await i.editReply({ content, allowedMentions: { parse: [] } });
}
