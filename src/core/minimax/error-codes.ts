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
  retryable: boolean;
  /** True when MiniMax certainly refused before making a task. */
  definitelyNotCreated: boolean;
}

const retryLater = (what: string): MinimaxCodeEntry => ({
  kind: 'server',
  code: 'minimax_server',
  userMessage: () => `MiniMax ${what}; please try again in a few minutes.`,
  retryable: true,
  // A server-side failure may still have left a task behind.
  definitelyNotCreated: false,
});

const rateLimited = (what: string): MinimaxCodeEntry => ({
  kind: 'rate_limited',
  code: 'minimax_rate_limited',
  userMessage: () => `MiniMax ${what}; please try again in a minute.`,
  retryable: true,
  definitelyNotCreated: true,
});

const refused = (
  kind: MinimaxErrorKind,
  code: string,
  userMessage: (msg: string) => string,
): MinimaxCodeEntry => ({ kind, code, userMessage, retryable: false, definitelyNotCreated: true });

const AUTH_MESSAGE =
  'MiniMax rejected the API key; check the key and that MINIMAX_BASE_URL matches its region (api.minimax.io global, api.minimaxi.com China).';

export const MINIMAX_ERROR_CODES: Readonly<Record<number, MinimaxCodeEntry>> = {
  1000: retryLater('had an unknown error'),
  1001: retryLater('timed out'),
  1002: rateLimited('is rate limiting this account (too many requests per minute)'),
  1004: refused('auth', 'minimax_auth', () => AUTH_MESSAGE),
  1008: refused(
    'balance',
    'minimax_balance',
    () => 'MiniMax balance is empty; top up the MiniMax account and try again.',
  ),
  1024: retryLater('had an internal error'),
  1026: refused(
    'moderation',
    'minimax_input_moderation',
    () =>
      'The prompt or image was rejected by MiniMax content moderation; change it and try again.',
  ),
  1027: refused(
    'moderation',
    'minimax_output_moderation',
    () =>
      'The generated video was blocked by MiniMax content moderation; try a different prompt or image.',
  ),
  1028: refused(
    'quota',
    'minimax_quota',
    () => 'The MiniMax plan has no video quota left; wait for it to reset or upgrade the plan.',
  ),
  1030: refused(
    'quota',
    'minimax_quota',
    () =>
      'The MiniMax plan quota is exhausted for now; wait for the next quota window or upgrade the plan.',
  ),
  1033: retryLater('had a system error'),
  1039: rateLimited('hit its token limit for this account'),
  1041: rateLimited('has too many open connections from this account'),
  1042: refused(
    'invalid_params',
    'minimax_invalid_params',
    () => 'The prompt contains too many invisible characters; remove them and try again.',
  ),
  2013: refused(
    'invalid_params',
    'minimax_invalid_params',
    (msg) => `MiniMax refused the request: invalid parameters: ${msg || 'no details given'}.`,
  ),
  2038: refused(
    'quota',
    'minimax_verification',
    () =>
      'MiniMax requires real-name verification for this account; complete it on the MiniMax platform and try again.',
  ),
  2045: rateLimited('is limiting sudden bursts of requests'),
  2049: refused('auth', 'minimax_auth', () => AUTH_MESSAGE),
  2056: refused(
    'quota',
    'minimax_quota',
    () =>
      'The MiniMax plan usage limit is reached; wait for the next 5-hour window or upgrade the plan.',
  ),
  2061: refused(
    'quota',
    'minimax_plan_model',
    () =>
      'This model is not available on the MiniMax plan; choose another model or upgrade the plan.',
  ),
};
