import { type MessageParams, type MessageRef, renderMessage } from '../messages/index.js';

export interface BotErrorInit {
  /** Stable code for programs and logs (`minimax_auth`, `job_timeout`, ...). */
  code: string;
  /** Parameters of the user's sentence (src/messages/catalog.ts, keyed by `textKey ?? code`). */
  params?: MessageParams;
  /** Catalog key when several sentences share one code (e.g. `minimax_1028` for `minimax_quota`). */
  textKey?: string;
  /** Legacy: a ready sentence, for errors whose words are not in the catalog yet. */
  userMessage?: string;
  userMessageZh?: string;
  message?: string;
  retryable?: boolean;
  cause?: unknown;
}

/**
 * One error tree for the whole bot. The user's sentence is a catalog key plus parameters
 * (`text`); adapters render it in the reader's language with `messageFor` (src/messages).
 * `userMessage` is its English rendering, for logs and callers without a locale. `message` and
 * the other fields are for logs. Retries follow `retryable` (src/core/retry-policy.ts).
 */
export class BotError extends Error {
  override name = 'BotError';
  readonly code: string;
  /** The user's sentence as key + parameters; undefined for legacy errors with ready texts. */
  readonly text: MessageRef | undefined;
  readonly userMessage: string;
  /** Simplified Chinese `userMessage`, shown to zh users. */
  readonly userMessageZh: string | undefined;
  readonly retryable: boolean;

  constructor(opts: BotErrorInit) {
    const text =
      opts.userMessage === undefined
        ? { key: opts.textKey ?? opts.code, ...(opts.params ? { params: opts.params } : {}) }
        : undefined;
    const userMessage = opts.userMessage ?? renderMessage(text!, 'en') ?? opts.code;
    super(opts.message ?? userMessage, { cause: opts.cause });
    this.code = opts.code;
    this.text = text;
    this.userMessage = userMessage;
    this.userMessageZh = opts.userMessageZh ?? (text ? renderMessage(text, 'zh') : undefined);
    this.retryable = opts.retryable ?? false;
  }
}

/** The environment is invalid; `message` is one line naming the variable. */
export class ConfigError extends BotError {
  override name = 'ConfigError';
  constructor(detail: string) {
    super({ code: 'config', params: { detail }, message: detail });
  }
}

/** A user mistake, found before any paid call. `userMessage` says what to change, in one sentence. */
export class InputError extends BotError {
  override name = 'InputError';
  /** Pass `{ code, params }` (texts in src/messages/catalog.ts); ready sentences are legacy. */
  constructor(
    text: string | { code: string; params?: MessageParams; textKey?: string },
    code = 'bad_input',
    userMessageZh?: string,
  ) {
    super(typeof text === 'string' ? { code, userMessage: text, userMessageZh } : text);
  }
}

/** Access and quota refusals (not allowed here, daily limit reached, ...). */
export class PolicyError extends BotError {
  override name = 'PolicyError';
  /** When the user may try again, if known (epoch ms). */
  readonly retryAt: number | undefined;
  /**
   * `{ code, params, textKey }` (texts in src/messages); a code with ready sentences is legacy,
   * kept for adapters that word their own refusals.
   */
  constructor(
    text: string | { code: string; params?: MessageParams; textKey?: string; retryAt?: number },
    userMessage?: string,
    retryAt?: number,
    userMessageZh?: string,
  ) {
    super(typeof text === 'string' ? { code: text, userMessage, userMessageZh } : text);
    this.retryAt = typeof text === 'string' ? retryAt : text.retryAt;
  }
}

/** Wraps anything unexpected so adapters can always show a line with the job id. */
export function asBotError(err: unknown, jobId?: string): BotError {
  if (err instanceof BotError) return err;
  return new BotError({
    code: 'internal',
    ...(jobId ? { params: { jobId } } : {}),
    message: err instanceof Error ? err.message : String(err),
    cause: err,
  });
}
