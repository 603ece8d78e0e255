import type { Entry, MessageParams } from './catalog.js';
import { formatDuration } from './duration.js';

const s = (p: MessageParams, name: string): string => String(p[name] ?? '');
const n = (p: MessageParams, name: string): number => Number(p[name] ?? 0);
const fixed = (en: string, zh: string): Entry => ({ en: () => en, zh: () => zh });
const waitEn = (p: MessageParams) =>
  `in ${formatDuration(n(p, 'waitMs'), 'wait', 'en')} (00:00 UTC)`;
const waitZh = (p: MessageParams) =>
  `${formatDuration(n(p, 'waitMs'), 'wait', 'zh')}后（UTC 00:00）`;
/** Channel ids travel as `a|b|c`; at most three are shown. */
const channelList = (p: MessageParams, sep: string) =>
  s(p, 'channels')
    .split('|')
    .filter(Boolean)
    .map((id) => `<#${id}>`)
    .join(sep);

/** Access and quota refusals (src/core/policy, disk guard), one sentence each. */
export const POLICY_CATALOG = {
  user_max_active: {
    en: (p) =>
      `You already have ${n(p, 'limit') === 1 ? 'a video' : `${n(p, 'used')} videos`} in progress; wait for one to finish or cancel it, then try again.`,
    zh: (p) =>
      `你已有${n(p, 'limit') === 1 ? '一个视频' : `${n(p, 'used')} 个视频`}正在生成，请等待其中一个完成或取消后再试。`,
  },
  user_daily_limit: {
    en: (p) =>
      `You have made your ${n(p, 'limit') === 1 ? 'one video' : `${n(p, 'limit')} videos`} for today; you can make more ${waitEn(p)}.`,
    zh: (p) => `你今天已生成 ${n(p, 'limit')} 个视频，达到上限，${waitZh(p)}可以继续生成。`,
  },
  team_daily_limit: {
    en: (p) =>
      `This team has used all ${n(p, 'limit')} videos for today; more can be made ${waitEn(p)}.`,
    zh: (p) => `本团队今天的 ${n(p, 'limit')} 个视频额度已用完，${waitZh(p)}可以继续生成。`,
  },
  daily_limit: {
    en: (p) =>
      `The bot has made all ${n(p, 'limit')} videos it may make today; more can be made ${waitEn(p)}.`,
    zh: (p) => `机器人今天的 ${n(p, 'limit')} 个视频额度已用完，${waitZh(p)}可以继续生成。`,
  },
  workspace_not_allowed: {
    en: (p) =>
      `This bot is not enabled for this ${s(p, 'where') || 'server'}; ask the bot's owner to allow it.`,
    zh: (p) => `此${s(p, 'whereZh') || '服务器'}未启用本机器人，请联系机器人所有者开通。`,
  },
  channel_not_allowed: {
    en: (p) =>
      `Videos can't be made in this channel; use ${channelList(p, ', ')}${p['more'] ? ' or another allowed channel' : ''}.`,
    zh: (p) =>
      `不能在此频道生成视频，请使用 ${channelList(p, '、')}${p['more'] ? '或其他允许的频道' : ''}。`,
  },
  override_channels_any: fixed(
    "The bot's owner limits videos to some channels, so they cannot be opened to every channel here; list channels from the owner's list instead.",
    '机器人所有者只允许在部分频道生成视频，这里不能开放到所有频道；请从所有者允许的频道中选择。',
  ),
  override_channels_outside: fixed(
    "Only channels the bot's owner allows can be listed here; leave out the others or ask the owner to add them.",
    '这里只能列出机器人所有者允许的频道；请去掉其他频道，或请所有者添加。',
  ),
  not_admin: fixed(
    'Only an admin of this server or workspace can change its video limits.',
    '只有此服务器或工作区的管理员才能修改视频限额。',
  ),
  not_admin_see: fixed(
    'Only an admin of this server or workspace can see or change its video limits.',
    '只有此服务器或工作区的管理员才能查看或修改视频限额。',
  ),
  override_above_global: fixed(
    "Limits can only be lowered below the bot's global limits here; ask the bot's owner to raise them.",
    '这里只能把限额调低到机器人的全局限额以下，如需提高请联系机器人所有者。',
  ),
  bad_override: fixed(
    'Limits must be whole numbers, 0 or more (0 means unlimited).',
    '限额必须是 0 或更大的整数（0 表示不限）。',
  ),
  unpriced_model: {
    en: (p) =>
      `The bot's price table has no price for ${String(p.model ?? 'this model')}, so it cannot be counted against your budget; pick another model or ask the operator to add it to PRICES_FILE.`,
    zh: (p) =>
      `机器人的价格表中没有 ${String(p.model ?? '该模型')} 的价格，无法计入预算；请选择其他模型，或请管理员在 PRICES_FILE 中添加。`,
  },
  bad_budget_override: fixed(
    'Budgets must be amounts of 0 or more (0 means no budget).',
    '预算必须是 0 或更大的金额（0 表示不设预算）。',
  ),
  no_workspace: fixed(
    'Video limits belong to a server or workspace; use this command in one of its channels.',
    '视频限额属于某个服务器或工作区，请在其中的频道里使用此命令。',
  ),
  disk_low: fixed(
    'The bot is short of disk space and is not taking new videos right now; please try again later.',
    '机器人的磁盘空间不足，暂时不接受新的视频请求，请稍后再试。',
  ),
  not_owner: fixed(
    'Only the person who asked for this video (or an admin) can make it again; send your own /video instead.',
    '只有发起此视频的人（或管理员）可以重新生成；请自己发送 /video。',
  ),
  role_not_allowed: fixed(
    'You need one of the roles allowed to make videos here; ask a server admin for one.',
    '你需要拥有允许生成视频的身份组之一，请向服务器管理员申请。',
  ),
  user_not_in_group: fixed(
    'You are not in a user group allowed to make videos; ask a workspace admin to add you to one.',
    '你不在允许生成视频的用户组中，请让工作区管理员把你加入其中一个。',
  ),
  user_not_listed: fixed(
    'You are not on the list of people allowed to make videos; ask a workspace admin to add you.',
    '你不在允许生成视频的名单中，请让工作区管理员添加你。',
  ),
  group_lookup_failed: fixed(
    "I couldn't check your Slack user groups just now, so the video was not started; please try again in a minute.",
    '暂时无法查看你的 Slack 用户组，视频未开始生成，请一分钟后再试。',
  ),
  slack_upload_refused: {
    en: (p) =>
      `${p['tooLarge'] ? 'The video is too big to upload here' : `Slack did not accept the video upload here (${s(p, 'reason')})`}, and there is no link to share; ask an admin to set PUBLIC_URL so finished videos can be linked.`,
    zh: (p) =>
      `${p['tooLarge'] ? '视频太大，无法在此上传' : `Slack 未接受此处的视频上传（${s(p, 'reason')}）`}，且没有可分享的链接；请让管理员设置 PUBLIC_URL，以便提供成品视频链接。`,
  },
} satisfies Record<string, Entry>;
