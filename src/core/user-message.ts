/** Anything that carries a user-facing line: a BotError or a stored JobFailure. */
export interface UserMessages {
  userMessage: string;
  userMessageZh?: string | undefined;
}

/** The user's line in their language: Simplified Chinese for a 'zh…' locale when known, else English. */
export function userMessageFor(source: UserMessages, locale?: string): string {
  const zh = locale?.toLowerCase().startsWith('zh') ?? false;
  return zh && source.userMessageZh ? source.userMessageZh : source.userMessage;
}
