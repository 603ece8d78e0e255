import { type ChatKey, chatText } from '../messages/catalog-chat.js';
import { formatDuration as formatAny, type Lang } from '../messages/index.js';

export { type Lang, langOf } from '../messages/index.js';

type Params = Record<string, string | number>;

export type MessageKey = ChatKey;

/** The message in the user's language (the words live in src/messages/catalog-chat.ts). */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return chatText(lang, key, params);
}

/** `m:ss` (or `h:mm:ss`) for elapsed and remaining times (the catalog's one formatter). */
export function formatDuration(ms: number): string {
  return formatAny(ms, 'clock');
}
