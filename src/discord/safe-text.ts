/**
 * Text a user typed, made safe to show back in a Discord message. Mentions are disarmed by
 * `allowed_mentions: { parse: [] }` on every message; what remains is markdown that could make the
 * bot vouch for a link it never meant to post: a masked link `[HD](https://evil)` shows only "HD".
 * Escaping the brackets leaves the URL visible as it was typed.
 */
export function disarmMaskedLinks(text: string): string {
  return text.replace(/[[\]]/g, (c) => `\\${c}`);
}

/** What every message and edit of the bot sends: nobody is pinged, not even the replied-to user. */
export const NO_MENTIONS = { parse: [] as never[], repliedUser: false } as const;
