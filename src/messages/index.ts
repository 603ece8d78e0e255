import { CATALOG, isMessageKey, type MessageParams } from './catalog.js';
import { type Lang, langOf } from './lang.js';

export { CATALOG, isMessageKey, type MessageKey, type MessageParams } from './catalog.js';
export { formatDuration } from './duration.js';
export { type Lang, langOf } from './lang.js';

/** A user-facing sentence as the core hands it out: a catalog key and its parameters. */
export interface MessageRef {
  key: string;
  params?: MessageParams;
}

/** The sentence for `ref` in `lang`; undefined when the key is not in the catalog. */
export function renderMessage(ref: MessageRef, lang: Lang): string | undefined {
  if (!isMessageKey(ref.key)) return undefined;
  return CATALOG[ref.key][lang](ref.params ?? {});
}

/**
 * What the adapters and the CLI show for an error or a stored job failure: rendered from its
 * catalog key in the reader's language, else the texts it carries (errors not yet in the
 * catalog, and jobs stored before it existed).
 */
export function messageFor(
  source: {
    text?: MessageRef | undefined;
    userMessage: string;
    userMessageZh?: string | undefined;
  },
  locale?: string | null,
): string {
  const lang = langOf(locale);
  const rendered = source.text ? renderMessage(source.text, lang) : undefined;
  if (rendered) return rendered;
  return lang === 'zh' && source.userMessageZh ? source.userMessageZh : source.userMessage;
}
