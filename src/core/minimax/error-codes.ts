/**
 * MiniMax `base_resp.status_code` table (research/minimax-api.md §5.2, DOC-ERR): what each code
 * means for retries. Read only by `minimaxErrorFrom` in errors.ts; exported so tests can iterate
 * it. The user's sentence for code N is `minimax_N` in src/messages/catalog.ts.
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
  retryable: boolean;
  /** True when MiniMax certainly refused before making a task. */
  definitelyNotCreated: boolean;
}

const retryLater: MinimaxCodeEntry = {
  kind: 'server',
  code: 'minimax_server',
  retryable: true,
  // A server-side failure may still have left a task behind.
  definitelyNotCreated: false,
};

const rateLimited: MinimaxCodeEntry = {
  kind: 'rate_limited',
  code: 'minimax_rate_limited',
  retryable: true,
  definitelyNotCreated: true,
};

const refused = (kind: MinimaxErrorKind, code: string): MinimaxCodeEntry => ({
  kind,
  code,
  retryable: false,
  definitelyNotCreated: true,
});

export const MINIMAX_ERROR_CODES: Readonly<Record<number, MinimaxCodeEntry>> = {
  1000: retryLater,
  1001: retryLater,
  1002: rateLimited,
  1004: refused('auth', 'minimax_auth'),
  1008: refused('balance', 'minimax_balance'),
  1024: retryLater,
  1026: refused('moderation', 'minimax_input_moderation'),
  1027: refused('moderation', 'minimax_output_moderation'),
  1028: refused('quota', 'minimax_quota'),
  1030: refused('quota', 'minimax_quota'),
  1033: retryLater,
  1039: rateLimited,
  1041: rateLimited,
  1042: refused('invalid_params', 'minimax_invalid_params'),
  2013: refused('invalid_params', 'minimax_invalid_params'),
  2038: refused('quota', 'minimax_verification'),
  2045: rateLimited,
  2049: refused('auth', 'minimax_auth'),
  2056: refused('quota', 'minimax_quota'),
  2061: refused('quota', 'minimax_plan_model'),
};
