/** Interaction and webhook tokens sit in Discord URLs; they must never reach a log line. */
const TOKEN_IN_PATH = /\/(interactions|webhooks)\/(\d+)\/[^/?\s]+/g;

export function scrubText(text: string): string {
  return text.replace(TOKEN_IN_PATH, '/$1/$2/***');
}

/**
 * Removes tokens from the `url` (and message) that @discordjs/rest puts on its errors, so the
 * error can be logged or handed to the core as it is.
 */
export function scrubError<T>(err: T): T {
  if (err && typeof err === 'object') {
    const e = err as { url?: unknown; message?: unknown };
    try {
      if (typeof e.url === 'string') e.url = scrubText(e.url);
      if (typeof e.message === 'string') e.message = scrubText(e.message);
    } catch {
      // A frozen error keeps its fields; it is still better to log it than to lose it.
    }
  }
  return err;
}
