import type { Lang } from './lang.js';

/** A chat text in both languages, `{name}` marking a parameter. */
type Texts = { en: string; zh: string };

/**
 * The words of the chat surfaces (status lines, buttons, forms, private hints) in English and
 * Simplified Chinese, shared by the Discord and Slack adapters. Errors and refusals are in the
 * other catalog-*.ts files, keyed by their codes.
 */
export const CHAT_TEXTS = {
  queued: { en: 'Queued', zh: '排队中' },
  queuePosition: { en: 'position {n} in line', zh: '第 {n} 位' },
  submitting: { en: 'Starting', zh: '正在提交' },
  preparing: { en: 'Preparing', zh: '准备中' },
  waiting: { en: 'Waiting at MiniMax', zh: 'MiniMax 排队中' },
  rendering: { en: 'Rendering', zh: '生成中' },
  downloading: { en: 'Downloading', zh: '正在下载' },
  uploading: { en: 'Uploading', zh: '正在上传' },
  elapsed: { en: 'elapsed {t}', zh: '已用 {t}' },
  remaining: { en: 'about {t} left', zh: '约剩 {t}' },
  done: { en: 'Your video is ready', zh: '视频已生成' },
  tookTime: { en: 'took {t}', zh: '用时 {t}' },
  tooBigLink: {
    en: 'The video ({mb} MB) is over this channel’s upload limit, so here is a link: {url}',
    zh: '视频（{mb} MB）超过了此频道的上传上限，请通过链接查看：{url}',
  },
  dmFallback: {
    en: 'I could not post in <#{channel}> (Discord refused: {code}), so here is your video.',
    zh: '我无法在 <#{channel}> 中发布（Discord 拒绝：{code}），所以把视频发给你。',
  },
  dmLink: {
    en: 'The video is here: {url}',
    zh: '视频在这里：{url}',
  },
  linkExpires: { en: 'The link expires {when}.', zh: '链接将于 {when} 失效。' },
  tooBigNoLink: {
    en: 'The video ({mb} MB) is over this channel’s upload limit and no link is available; set PUBLIC_URL so the bot can serve large videos.',
    zh: '视频（{mb} MB）超过了此频道的上传上限，且没有可用链接；请设置 PUBLIC_URL 以便机器人提供大视频链接。',
  },
  failed: { en: 'The video could not be made.', zh: '视频生成失败。' },
  cancelled: { en: 'Cancelled.', zh: '已取消。' },
  expired: { en: 'Timed out.', zh: '已超时。' },
  cancel: { en: 'Cancel', zh: '取消' },
  regenerate: { en: 'Regenerate', zh: '重新生成' },
  variations: { en: 'Variations', zh: '变体' },
  upscale: { en: 'Upscale to 2K (up to US$ {price})', zh: '升级到 2K（最多 US$ {price}）' },
  onlyRequester: {
    en: 'Only the person who started this video can cancel it.',
    zh: '只有发起这个视频的人可以取消它。',
  },
  tooLate: {
    en: 'This video is already finished or being posted, so it can no longer be cancelled.',
    zh: '这个视频已完成或正在发布，无法再取消。',
  },
  unknownJob: {
    en: 'That video is no longer known to the bot; start a new one with /video.',
    zh: '机器人已找不到这个视频；请用 /video 重新生成。',
  },
  needInput: {
    en: 'Add a prompt or attach one or two images (JPG, PNG or WebP), then mention me again.',
    zh: '请添加提示词或附上一到两张图片（JPG、PNG 或 WebP），然后再次提及我。',
  },
  tooManyImages: {
    en: 'Attach one image (first frame) or two images (first and last frame), not {n}.',
    zh: '请附上一张图片（首帧）或两张图片（首帧和尾帧），而不是 {n} 张。',
  },
  noImage: {
    en: 'That message has no JPG, PNG or WebP image to animate; pick a message with a picture.',
    zh: '该消息中没有可用的 JPG、PNG 或 WebP 图片；请选择带图片的消息。',
  },
  statusUnavailable: {
    en: 'Your status could not be read right now; please try again in a minute.',
    zh: '暂时无法读取你的状态，请一分钟后再试。',
  },
  modalTitle: { en: 'Make a video', zh: '生成视频' },
  modalPrompt: { en: 'Prompt', zh: '提示词' },
  modalPromptHint: {
    en: 'Describe the scene; camera moves like [Pan left] work too.',
    zh: '描述画面；也可以写镜头指令，例如 [左摇]。',
  },
  modalFirst: { en: 'First frame (optional)', zh: '首帧图片（可选）' },
  modalLast: { en: 'Last frame (optional)', zh: '尾帧图片（可选）' },
  modalSubject: { en: 'Face photo (optional)', zh: '人物参考照片（可选）' },
  modalImageHint: { en: 'JPG, PNG or WebP', zh: 'JPG、PNG 或 WebP' },
  modalReferences: { en: 'MiniMax-H3 references (optional)', zh: 'MiniMax-H3 参考素材（可选）' },
  modalReferencesHint: {
    en: 'Up to 10: images, MP4/MOV clips, MP3/WAV voices',
    zh: '最多 10 个：图片、MP4/MOV 视频、MP3/WAV 声音',
  },
  dashboardLink: {
    en: 'Your team dashboard (gallery, queue, spend): <{url}>\nThe link works once, for 15 minutes; keep it to yourself.',
    zh: '团队面板（视频库、队列、花费）：<{url}>\n链接仅可使用一次，15 分钟内有效；请勿转发。',
  },
  dashboardNoUrl: {
    en: 'The dashboard needs the bot to have a public address (PUBLIC_URL); ask whoever runs the bot to set it.',
    zh: '面板需要机器人设置公开地址（PUBLIC_URL）；请联系机器人管理员设置。',
  },
  dashboardGuildOnly: {
    en: 'The dashboard shows the videos of one server; use /video-dashboard in a server.',
    zh: '面板展示某个服务器的视频；请在服务器中使用 /video-dashboard。',
  },
  dashboardUnavailable: {
    en: 'The dashboard link could not be made right now; try again in a minute.',
    zh: '暂时无法生成面板链接，请稍后再试。',
  },
  tooManyFiles: {
    en: 'MiniMax-H3 takes at most {max} files at once, and this message has {n}; leave some out.',
    zh: 'MiniMax-H3 一次最多接受 {max} 个文件，此消息有 {n} 个，请去掉一些。',
  },
  // Slack's status message (mrkdwn: `*` is bold; the emoji are Slack's).
  slackQueued: { en: ':hourglass_flowing_sand: *Queued*', zh: ':hourglass_flowing_sand: *排队中*' },
  slackQueuedAt: {
    en: ':hourglass_flowing_sand: *Queued*: number {n} in line',
    zh: ':hourglass_flowing_sand: *排队中*：第 {n} 位',
  },
  slackSending: {
    en: ':outbox_tray: *Sending to MiniMax*',
    zh: ':outbox_tray: *正在提交到 MiniMax*',
  },
  slackRendering: { en: ':movie_camera: *Rendering*', zh: ':movie_camera: *生成中*' },
  slackPreparing: {
    en: ':movie_camera: *Rendering*: MiniMax is preparing',
    zh: ':movie_camera: *生成中*：MiniMax 准备中',
  },
  slackInQueue: {
    en: ":movie_camera: *Rendering*: in MiniMax's queue",
    zh: ':movie_camera: *生成中*：在 MiniMax 排队中',
  },
  slackDownloading: {
    en: ':inbox_tray: *Downloading the video*',
    zh: ':inbox_tray: *正在下载视频*',
  },
  slackUploading: {
    en: ':arrow_up: *Uploading the video to Slack*',
    zh: ':arrow_up: *正在把视频上传到 Slack*',
  },
  slackDone: {
    en: ':white_check_mark: *Done* in {t}',
    zh: ':white_check_mark: *已完成*，用时 {t}',
  },
  slackDoneLink: {
    en: ':white_check_mark: *Done* in {t}: <{url}|watch the video> in the thread',
    zh: ':white_check_mark: *已完成*，用时 {t}：在话题中<{url}|观看视频>',
  },
  slackFailed: { en: ':x: *Failed*: {why}', zh: ':x: *失败*：{why}' },
  slackFailedPlain: { en: 'the video could not be made.', zh: '视频生成失败。' },
  slackCancelled: { en: ':no_entry_sign: *Cancelled*', zh: ':no_entry_sign: *已取消*' },
  slackCancelledBy: {
    en: ':no_entry_sign: *Cancelled* by <@{user}>',
    zh: ':no_entry_sign: *已被 <@{user}> 取消*',
  },
  slackExpired: { en: ':warning: *Expired*: {why}', zh: ':warning: *已超时*：{why}' },
  slackTookTooLong: { en: 'MiniMax took too long.', zh: 'MiniMax 用时过长。' },
  slackElapsed: { en: '{t} elapsed', zh: '已用 {t}' },
  slackLeft: { en: 'about {t} left', zh: '约剩 {t}' },
  slackCancelNotAllowed: {
    en: 'Only the person who asked for this video (or a bot admin) can cancel it.',
    zh: '只有发起这个视频的人（或机器人管理员）可以取消它。',
  },
  slackCancelTooLate: {
    en: 'This video is already finished or being delivered, so it can no longer be cancelled.',
    zh: '这个视频已完成或正在发送，无法再取消。',
  },
  slackCancelNotFound: {
    en: 'I can no longer find that video; it may have been cleaned up.',
    zh: '找不到这个视频了，它可能已被清理。',
  },
} satisfies Record<string, Texts>;

export type ChatKey = keyof typeof CHAT_TEXTS;

/** The chat text in `lang`, with `{name}` placeholders filled. */
export function chatText(
  lang: Lang,
  key: ChatKey,
  params: Record<string, string | number> = {},
): string {
  return CHAT_TEXTS[key][lang].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(params[name] ?? `{${name}}`),
  );
}
