/** The two languages the bot speaks: English, and Simplified Chinese for any `zh…` locale. */
export type Lang = 'en' | 'zh';

/** Maps a platform locale (`en-US`, `zh-CN`, `zh-TW`, Slack's `zh-CN`, ...) to the bot's language. */
export function langOf(locale: string | null | undefined): Lang {
  return locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
