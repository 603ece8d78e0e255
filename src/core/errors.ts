/**
 * One error tree for the whole bot. `userMessage` is plain language, safe to post in a channel;
 * `message` and the other fields are for logs. Retries follow `retryable`, never message text.
 */
export class BotError extends Error {
  override name = 'BotError';
  readonly code: string;
  readonly userMessage: string;
  /** Simplified Chinese `userMessage`, shown to zh users (see `userMessageFor`). */
  readonly userMessageZh: string | undefined;
  readonly retryable: boolean;

  constructor(opts: {
    code: string;
    userMessage: string;
    userMessageZh?: string;
    message?: string;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super(opts.message ?? opts.userMessage, { cause: opts.cause });
    this.code = opts.code;
    this.userMessage = opts.userMessage;
    this.userMessageZh = opts.userMessageZh;
    this.retryable = opts.retryable ?? false;
  }
}

/** A user mistake, found before any paid call. `userMessage` says what to change, in one sentence. */
export class InputError extends BotError {
  override name = 'InputError';
  constructor(userMessage: string, code = 'bad_input', userMessageZh?: string) {
    super({ code, userMessage, userMessageZh });
  }
}

/** Access and quota refusals (not allowed here, daily limit reached, ...). */
export class PolicyError extends BotError {
  override name = 'PolicyError';
  /** When the user may try again, if known (epoch ms). */
  readonly retryAt: number | undefined;
  constructor(code: string, userMessage: string, retryAt?: number, userMessageZh?: string) {
    super({ code, userMessage, userMessageZh });
    this.retryAt = retryAt;
  }
}

/** Wraps anything unexpected so adapters can always show a line with the job id. */
export function asBotError(err: unknown, jobId?: string): BotError {
  if (err instanceof BotError) return err;
  const ref = jobId ? ` (job ${jobId})` : '';
  const refZh = jobId ? `（任务 ${jobId}）` : '';
  return new BotError({
    code: 'internal',
    userMessage: `Something went wrong on our side${ref}; please try again.`,
    userMessageZh: `我们这边出了点问题${refZh}，请重试。`,
    message: err instanceof Error ? err.message : String(err),
    cause: err,
  });
}
