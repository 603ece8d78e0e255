/**
 * MiniMax `base_resp.status_code` table (research/minimax-api.md §5.2, DOC-ERR). Read only by
 * `minimaxErrorFrom` in errors.ts; exported so tests can iterate it.
 */

export type MinimaxErrorKind =
  | 'rate_limited'
  | 'auth'
  | 'balance'
  | 'moderation'
  | 'invalid_params'
  | 'quota'
  | 'server';

export interface MinimaxCodeEntry {
  kind: MinimaxErrorKind;
  /** Stable BotError code. */
  code: string;
  /** One plain sentence; `msg` is MiniMax's status_msg. */
  userMessage: (msg: string) => string;
  /** The same sentence in Simplified Chinese. */
  userMessageZh: (msg: string) => string;
  retryable: boolean;
  /** True when MiniMax certainly refused before making a task. */
  definitelyNotCreated: boolean;
}

type Said = readonly [en: string, zh: string];

const retryLater = ([what, whatZh]: Said): MinimaxCodeEntry => ({
  kind: 'server',
  code: 'minimax_server',
  userMessage: () => `MiniMax ${what}; please try again in a few minutes.`,
  userMessageZh: () => `MiniMax ${whatZh}，请过几分钟再试。`,
  retryable: true,
  // A server-side failure may still have left a task behind.
  definitelyNotCreated: false,
});

const rateLimited = ([what, whatZh]: Said): MinimaxCodeEntry => ({
  kind: 'rate_limited',
  code: 'minimax_rate_limited',
  userMessage: () => `MiniMax ${what}; please try again in a minute.`,
  userMessageZh: () => `MiniMax ${whatZh}，请一分钟后再试。`,
  retryable: true,
  definitelyNotCreated: true,
});

const refused = (
  kind: MinimaxErrorKind,
  code: string,
  userMessage: (msg: string) => string,
  userMessageZh: (msg: string) => string,
): MinimaxCodeEntry => ({
  kind,
  code,
  userMessage,
  userMessageZh,
  retryable: false,
  definitelyNotCreated: true,
});

const AUTH_MESSAGE =
  'MiniMax rejected the API key; check the key and that MINIMAX_BASE_URL matches its region (api.minimax.io global, api.minimaxi.com China).';
const AUTH_MESSAGE_ZH =
  'MiniMax 拒绝了 API 密钥，请检查密钥，并确认 MINIMAX_BASE_URL 与其区域一致（国际版 api.minimax.io，中国版 api.minimaxi.com）。';

export const MINIMAX_ERROR_CODES: Readonly<Record<number, MinimaxCodeEntry>> = {
  1000: retryLater(['had an unknown error', '发生了未知错误']),
  1001: retryLater(['timed out', '请求超时']),
  1002: rateLimited([
    'is rate limiting this account (too many requests per minute)',
    '正在限制此账号的请求频率（每分钟请求过多）',
  ]),
  1004: refused(
    'auth',
    'minimax_auth',
    () => AUTH_MESSAGE,
    () => AUTH_MESSAGE_ZH,
  ),
  1008: refused(
    'balance',
    'minimax_balance',
    () => 'MiniMax balance is empty; top up the MiniMax account and try again.',
    () => 'MiniMax 账户余额不足，请充值后再试。',
  ),
  1024: retryLater(['had an internal error', '发生了内部错误']),
  1026: refused(
    'moderation',
    'minimax_input_moderation',
    () =>
      'The prompt or image was rejected by MiniMax content moderation; change it and try again.',
    () => '提示词或图片未通过 MiniMax 内容审核，请修改后再试。',
  ),
  1027: refused(
    'moderation',
    'minimax_output_moderation',
    () =>
      'The generated video was blocked by MiniMax content moderation; try a different prompt or image.',
    () => '生成的视频被 MiniMax 内容审核拦截，请换一个提示词或图片再试。',
  ),
  1028: refused(
    'quota',
    'minimax_quota',
    () => 'The MiniMax plan has no video quota left; wait for it to reset or upgrade the plan.',
    () => 'MiniMax 套餐的视频额度已用完，请等待额度重置或升级套餐。',
  ),
  1030: refused(
    'quota',
    'minimax_quota',
    () =>
      'The MiniMax plan quota is exhausted for now; wait for the next quota window or upgrade the plan.',
    () => 'MiniMax 套餐额度暂时用尽，请等待下一个额度周期或升级套餐。',
  ),
  1033: retryLater(['had a system error', '发生了系统错误']),
  1039: rateLimited(['hit its token limit for this account', '已达到此账号的 token 上限']),
  1041: rateLimited([
    'has too many open connections from this account',
    '检测到此账号的连接数过多',
  ]),
  1042: refused(
    'invalid_params',
    'minimax_invalid_params',
    () => 'The prompt contains too many invisible characters; remove them and try again.',
    () => '提示词包含过多不可见字符，请删除后再试。',
  ),
  2013: refused(
    'invalid_params',
    'minimax_invalid_params',
    (msg) => `MiniMax refused the request: invalid parameters: ${msg || 'no details given'}.`,
    (msg) => `MiniMax 拒绝了请求，参数无效：${msg || '未提供详情'}。`,
  ),
  2038: refused(
    'quota',
    'minimax_verification',
    () =>
      'MiniMax requires real-name verification for this account; complete it on the MiniMax platform and try again.',
    () => 'MiniMax 要求此账号完成实名认证，请在 MiniMax 平台完成认证后再试。',
  ),
  2045: rateLimited(['is limiting sudden bursts of requests', '正在限制突发的大量请求']),
  2049: refused(
    'auth',
    'minimax_auth',
    () => AUTH_MESSAGE,
    () => AUTH_MESSAGE_ZH,
  ),
  2056: refused(
    'quota',
    'minimax_quota',
    () =>
      'The MiniMax plan usage limit is reached; wait for the next 5-hour window or upgrade the plan.',
    () => 'MiniMax 套餐已达到用量上限，请等待下一个 5 小时周期或升级套餐。',
  ),
  2061: refused(
    'quota',
    'minimax_plan_model',
    () =>
      'This model is not available on the MiniMax plan; choose another model or upgrade the plan.',
    () => '当前 MiniMax 套餐不支持此模型，请选择其他模型或升级套餐。',
  ),
};
