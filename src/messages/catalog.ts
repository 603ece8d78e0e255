/**
 * Every sentence the bot shows a user for a core error, in English and Simplified Chinese, keyed
 * by the error's message key (usually its `code`). Core errors carry only the key and parameters
 * (`BotError.text`); adapters and the CLI render them with `messageFor` in the reader's language.
 *
 * Adding an error: add one entry here with both languages (test/messages/catalog.test.ts fails
 * otherwise), then throw `new BotError({ code: 'my_code', params: { ... } })`.
 */

import { ENGINE_CATALOG } from './catalog-engine.js';
import { H3_CATALOG } from './catalog-h3.js';
import { IMAGES_CATALOG } from './catalog-images.js';
import { POLICY_CATALOG } from './catalog-policy.js';
import { REQUEST_CATALOG } from './catalog-request.js';

/** Values a message may interpolate. */
export type MessageParams = Readonly<Record<string, string | number | undefined>>;

/** One sentence in both languages. Areas keep their entries in `catalog-<area>.ts`, spread below. */
export interface Entry {
  en: (p: MessageParams) => string;
  zh: (p: MessageParams) => string;
}

const s = (p: MessageParams, name: string): string => String(p[name] ?? '');

const AUTH: Entry = {
  en: () =>
    'MiniMax rejected the API key; check the key and that MINIMAX_BASE_URL matches its region (api.minimax.io global, api.minimaxi.com China).',
  zh: () =>
    'MiniMax 拒绝了 API 密钥，请检查密钥，并确认 MINIMAX_BASE_URL 与其区域一致（国际版 api.minimax.io，中国版 api.minimaxi.com）。',
};
const retryLater = (en: string, zh: string): Entry => ({
  en: () => `MiniMax ${en}; please try again in a few minutes.`,
  zh: () => `MiniMax ${zh}，请过几分钟再试。`,
});
const rateLimited = (en: string, zh: string): Entry => ({
  en: () => `MiniMax ${en}; please try again in a minute.`,
  zh: () => `MiniMax ${zh}，请一分钟后再试。`,
});
const fixed = (en: string, zh: string): Entry => ({ en: () => en, zh: () => zh });

const NOT_RESENT =
  'so it is unknown whether the video was started; nothing was resubmitted to avoid paying twice, so try again if no video arrives.';
const NOT_RESENT_ZH =
  '因此无法确定视频是否已开始生成；为避免重复扣费，没有重新提交，如果没有收到视频请重试。';
const UNKNOWN_WHY: Record<string, [string, string]> = {
  timeout: ['MiniMax did not answer in time', 'MiniMax 没有及时回应'],
  connection: [
    'The connection to MiniMax broke before its answer arrived',
    '与 MiniMax 的连接在收到回应前中断了',
  ],
  minimax: [
    'MiniMax answered with an error that does not say whether it made the video',
    'MiniMax 返回的错误没有说明是否已生成视频',
  ],
  unexpected: ['Starting the video failed unexpectedly', '开始生成视频时意外失败'],
};

export const CATALOG = {
  internal: {
    en: (p) =>
      `Something went wrong on our side${p['jobId'] ? ` (job ${s(p, 'jobId')})` : ''}; please try again.`,
    zh: (p) => `我们这边出了点问题${p['jobId'] ? `（任务 ${s(p, 'jobId')}）` : ''}，请重试。`,
  },

  // MiniMax base_resp codes (src/core/minimax/error-codes.ts says what each one means for retries).
  minimax_1000: retryLater('had an unknown error', '发生了未知错误'),
  minimax_1001: retryLater('timed out', '请求超时'),
  minimax_1002: rateLimited(
    'is rate limiting this account (too many requests per minute)',
    '正在限制此账号的请求频率（每分钟请求过多）',
  ),
  minimax_1004: AUTH,
  minimax_1008: fixed(
    'MiniMax balance is empty; top up the MiniMax account and try again.',
    'MiniMax 账户余额不足，请充值后再试。',
  ),
  minimax_1024: retryLater('had an internal error', '发生了内部错误'),
  minimax_1026: fixed(
    'The prompt or image was rejected by MiniMax content moderation; change it and try again.',
    '提示词或图片未通过 MiniMax 内容审核，请修改后再试。',
  ),
  minimax_1027: fixed(
    'The generated video was blocked by MiniMax content moderation; try a different prompt or image.',
    '生成的视频被 MiniMax 内容审核拦截，请换一个提示词或图片再试。',
  ),
  minimax_1028: fixed(
    'The MiniMax plan has no video quota left; wait for it to reset or upgrade the plan.',
    'MiniMax 套餐的视频额度已用完，请等待额度重置或升级套餐。',
  ),
  minimax_1030: fixed(
    'The MiniMax plan quota is exhausted for now; wait for the next quota window or upgrade the plan.',
    'MiniMax 套餐额度暂时用尽，请等待下一个额度周期或升级套餐。',
  ),
  minimax_1033: retryLater('had a system error', '发生了系统错误'),
  minimax_1039: rateLimited('hit its token limit for this account', '已达到此账号的 token 上限'),
  minimax_1041: rateLimited(
    'has too many open connections from this account',
    '检测到此账号的连接数过多',
  ),
  minimax_1042: fixed(
    'The prompt contains too many invisible characters; remove them and try again.',
    '提示词包含过多不可见字符，请删除后再试。',
  ),
  minimax_2013: {
    en: (p) =>
      `MiniMax refused the request: invalid parameters: ${s(p, 'msg') || 'no details given'}.`,
    zh: (p) => `MiniMax 拒绝了请求，参数无效：${s(p, 'msg') || '未提供详情'}。`,
  },
  minimax_2038: fixed(
    'MiniMax requires real-name verification for this account; complete it on the MiniMax platform and try again.',
    'MiniMax 要求此账号完成实名认证，请在 MiniMax 平台完成认证后再试。',
  ),
  minimax_2045: rateLimited('is limiting sudden bursts of requests', '正在限制突发的大量请求'),
  minimax_2049: AUTH,
  minimax_2056: fixed(
    'The MiniMax plan usage limit is reached; wait for the next 5-hour window or upgrade the plan.',
    'MiniMax 套餐已达到用量上限，请等待下一个 5 小时周期或升级套餐。',
  ),
  minimax_2061: fixed(
    'This model is not available on the MiniMax plan; choose another model or upgrade the plan.',
    '当前 MiniMax 套餐不支持此模型，请选择其他模型或升级套餐。',
  ),

  // MiniMax answers without a known code, and calls that got no answer.
  minimax_timeout: fixed(
    'MiniMax did not answer in time; please try again in a few minutes.',
    'MiniMax 没有及时回应，请过几分钟再试。',
  ),
  minimax_connection: fixed(
    'The bot could not reach MiniMax; please try again in a few minutes.',
    '机器人无法连接 MiniMax，请过几分钟再试。',
  ),
  minimax_http_5xx: {
    en: (p) =>
      `MiniMax is having trouble (HTTP ${s(p, 'status')}); please try again in a few minutes.`,
    zh: (p) => `MiniMax 出现故障（HTTP ${s(p, 'status')}），请过几分钟再试。`,
  },
  minimax_http_404: fixed(
    'MiniMax answered "not found"; check that MINIMAX_BASE_URL is https://api.minimax.io or https://api.minimaxi.com.',
    'MiniMax 返回“未找到”，请检查 MINIMAX_BASE_URL 是否为 https://api.minimax.io 或 https://api.minimaxi.com。',
  ),
  minimax_http_413: fixed(
    'The request was too large for MiniMax; use smaller images and try again.',
    '请求对 MiniMax 来说太大了，请使用更小的图片再试。',
  ),
  minimax_http_4xx: {
    en: (p) =>
      `MiniMax refused the request (HTTP ${s(p, 'status')}); check the options and try again.`,
    zh: (p) => `MiniMax 拒绝了请求（HTTP ${s(p, 'status')}），请检查选项后再试。`,
  },
  minimax_error: {
    en: (p) =>
      `MiniMax returned error ${s(p, 'code')}${p['msg'] ? ` (${s(p, 'msg')})` : ''}; please try again later.`,
    zh: (p) =>
      `MiniMax 返回了错误 ${s(p, 'code')}${p['msg'] ? `（${s(p, 'msg')}）` : ''}，请稍后再试。`,
  },
  minimax_malformed: fixed(
    'MiniMax sent an answer the bot could not read; please try again in a few minutes.',
    'MiniMax 返回了机器人无法读取的回应，请过几分钟再试。',
  ),
  minimax_task_failed: {
    en: (p) =>
      `MiniMax could not generate this video${p['reason'] ? ` (${s(p, 'reason')})` : ''}; try again or change the prompt.`,
    zh: (p) =>
      `MiniMax 无法生成此视频${p['reason'] ? `（${s(p, 'reason')}）` : ''}，请重试或修改提示词。`,
  },

  // How a job ended (src/core/engine/failures.ts).
  create_outcome_unknown: {
    en: (p) => `${(UNKNOWN_WHY[s(p, 'why')] ?? UNKNOWN_WHY['unexpected']!)[0]}, ${NOT_RESENT}`,
    zh: (p) => `${(UNKNOWN_WHY[s(p, 'why')] ?? UNKNOWN_WHY['unexpected']!)[1]}，${NOT_RESENT_ZH}`,
  },
  restart_outcome_unknown: fixed(
    `The bot restarted while starting this video, ${NOT_RESENT}`,
    `机器人在开始生成此视频时重启了，${NOT_RESENT_ZH}`,
  ),
  rate_limited: fixed(
    'MiniMax is busy right now (rate limit); please try again in a few minutes.',
    'MiniMax 目前繁忙（触发速率限制），请过几分钟再试。',
  ),
  job_timeout: {
    en: (p) =>
      `MiniMax did not finish the video within ${s(p, 'minutes')} minutes; please try again later.`,
    zh: (p) => `MiniMax 未能在 ${s(p, 'minutes')} 分钟内完成视频，请稍后再试。`,
  },
  query_failed: fixed(
    'MiniMax stopped answering about this video; please try again later.',
    'MiniMax 不再回应此视频的状态查询，请稍后再试。',
  ),

  // Attachments (src/core/safe-fetch.ts).
  attachment_host: {
    en: (p) =>
      `That attachment is not hosted by ${s(p, 'platform')}, so it was not downloaded; upload the image directly.`,
    zh: (p) => `该附件不在 ${s(p, 'platform')} 上，因此没有下载，请直接上传图片。`,
  },

  // Configuration and transport errors outside a job (operators read these).
  config: { en: (p) => s(p, 'detail'), zh: (p) => `配置错误：${s(p, 'detail')}` },
  body_too_large: fixed('The request body is too large.', '请求体过大。'),
  slack_upload_http: {
    en: (p) => `Slack's upload host answered HTTP ${s(p, 'status')}; please try again.`,
    zh: (p) => `Slack 上传服务器返回了 HTTP ${s(p, 'status')}，请重试。`,
  },
  ...H3_CATALOG,
  ...REQUEST_CATALOG,
  ...IMAGES_CATALOG,
  ...POLICY_CATALOG,
  ...ENGINE_CATALOG,
} satisfies Record<string, Entry>;

export type MessageKey = keyof typeof CATALOG;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(CATALOG, key);
}
