import type { Entry, MessageParams } from './catalog.js';
import { formatDuration } from './duration.js';

const s = (p: MessageParams, name: string): string => String(p[name] ?? '');
const fixed = (en: string, zh: string): Entry => ({ en: () => en, zh: () => zh });
const mb = (p: MessageParams) => {
  const bytes = Number(p['maxBytes'] ?? 0);
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
};
const MONEY_WHO: Record<string, [string, string]> = {
  user_daily_budget: ['your daily budget', '你的每日预算'],
  team_daily_budget: ["this team's daily budget", '本团队的每日预算'],
  team_monthly_budget: ["this team's monthly budget", '本团队的每月预算'],
  daily_budget: ["the bot's daily budget", '机器人的每日预算'],
};
const budget = (key: string): Entry => ({
  en: (p) => {
    const when = key === 'team_monthly_budget' ? 'on the 1st (00:00 UTC)' : '(00:00 UTC)';
    return `This video would cost about ${s(p, 'cost')}, but only ${s(p, 'left')} is left of ${MONEY_WHO[key]![0]} of ${s(p, 'total')}; it resets in ${formatDuration(Number(p['waitMs'] ?? 0), 'wait', 'en')} ${when}.`;
  },
  zh: (p) =>
    `这个视频预计花费 ${s(p, 'cost')}，但${MONEY_WHO[key]![1]}（${s(p, 'total')}）只剩 ${s(p, 'left')}；将在${formatDuration(Number(p['waitMs'] ?? 0), 'wait', 'zh')}后重置。`,
});

/** Job lifecycle, downloads, attachments and budgets, one sentence each. */
export const ENGINE_CATALOG = {
  source_gone: fixed(
    'That video is no longer available; please send the request again.',
    '该视频已不可用，请重新发送请求。',
  ),
  job_not_found: fixed('That video job no longer exists.', '该视频任务已不存在。'),
  invalid_transition: fixed(
    'This video has already moved on; nothing was changed.',
    '此视频的状态已经变化，未做任何更改。',
  ),
  duplicate_request: fixed(
    'This request is already being handled; wait for its progress message.',
    '此请求正在处理中，请等待进度消息。',
  ),
  video_missing: fixed(
    'The finished video was lost before it could be posted; please generate it again.',
    '生成好的视频在发布前丢失了，请重新生成。',
  ),
  shutting_down: fixed(
    'The bot is restarting; please try again in a minute.',
    '机器人正在重启，请一分钟后再试。',
  ),
  download_expired: fixed(
    'The video link expired before it could be saved; fetching a new one.',
    '视频链接在保存前已过期，正在获取新链接。',
  ),
  download_failed: fixed(
    'The finished video could not be downloaded; please try again.',
    '生成好的视频无法下载，请重试。',
  ),
  download_too_large: fixed(
    'The finished video is too large to save here.',
    '生成好的视频太大，无法在此保存。',
  ),
  attachment_unreachable: fixed(
    'That attachment could not be downloaded; please try again.',
    '无法下载该附件，请重试。',
  ),
  attachment_bad_url: fixed(
    'That attachment link is not a valid URL; upload the image again.',
    '该附件链接不是有效的网址，请重新上传图片。',
  ),
  attachment_not_https: fixed(
    'That attachment link is not HTTPS; upload the image directly.',
    '该附件链接不是 HTTPS，请直接上传图片。',
  ),
  attachment_too_large: {
    en: (p) => `That attachment is larger than ${mb(p)}; attach a smaller image.`,
    zh: (p) => `该附件大于 ${mb(p)}，请附加更小的图片。`,
  },
  attachment_redirects: fixed(
    'That attachment link redirected too many times; upload the image directly.',
    '该附件链接重定向次数过多，请直接上传图片。',
  ),
  attachment_http: {
    en: (p) =>
      `That attachment could not be downloaded (HTTP ${s(p, 'status')}); ${p['denied'] ? 'check that the bot may read files in this channel, then attach it again' : 'attach it again'}.`,
    zh: (p) =>
      `无法下载该附件（HTTP ${s(p, 'status')}），${p['denied'] ? '请确认机器人可以读取此频道的文件，然后重新附加' : '请重新附加'}。`,
  },
  attachment_web_page: fixed(
    'That attachment came back as a web page instead of a file; check that the bot may read files, then attach it again.',
    '该附件返回的是网页而不是文件，请确认机器人可以读取文件，然后重新附加。',
  ),
  attachment_timeout: fixed(
    'Downloading that attachment took too long; try again or attach a smaller image.',
    '下载该附件耗时过长，请重试或附加更小的图片。',
  ),
  minimax_upload_too_slow: fixed(
    'The request could not be sent to MiniMax in time (the connection is too slow), so no video was started or charged; try again later.',
    '请求未能及时发送到 MiniMax（网络连接太慢），因此没有开始生成视频，也不会扣费，请稍后再试。',
  ),
  local_image: {
    en: (p) =>
      `The image file ${s(p, 'file')} ${p['missing'] ? 'does not exist' : `cannot be read (${s(p, 'error')})`}; give the path of a JPG, PNG or WebP file.`,
    zh: (p) =>
      `图片文件 ${s(p, 'file')} ${p['missing'] ? '不存在' : `无法读取（${s(p, 'error')}）`}，请提供 JPG、PNG 或 WebP 文件的路径。`,
  },
  user_daily_budget: budget('user_daily_budget'),
  team_daily_budget: budget('team_daily_budget'),
  team_monthly_budget: budget('team_monthly_budget'),
  daily_budget: budget('daily_budget'),
} satisfies Record<string, Entry>;
