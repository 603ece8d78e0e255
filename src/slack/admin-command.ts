import { type AdminChange, type AdminPolicy, applyAdminChange } from '../chat/admin-change.js';
import { asBotError, PolicyError } from '../core/errors.js';
import type { JobOrigin } from '../core/jobs/job.js';
import { messageFor } from '../messages/index.js';

/** Shown when `/video admin …` cannot be read. */
export const ADMIN_USAGE =
  'Use /video admin limit user <n>, /video admin limit team <n>, /video admin limit channels <channel ids|any> or /video admin budget day|month <amount> (default restores a setting, 0 means unlimited).';

/**
 * `/video admin` alone or followed by one of its keywords is an admin command; anything else,
 * "admin office party at dusk" included, is a prompt.
 */
export function isAdminRequest(text: string): boolean {
  return /^\s*admin(\s+(limits?|show|user|team|channels?|budgets?)(\s.*)?)?\s*$/is.test(text);
}

function limitOf(word: string | undefined): number | 'default' | undefined {
  if (!word) return undefined;
  if (/^(default|reset)$/i.test(word)) return 'default';
  if (/^(unlimited|none|off)$/i.test(word)) return 0;
  return /^\d{1,7}$/.test(word) ? Number(word) : undefined;
}

/** Slack sends `<#C123|name>` (escaped) or the id typed as is; names alone cannot be resolved. */
function channelsOf(words: string[]): string[] | 'any' | 'default' | undefined {
  const joined = words.join(' ').trim();
  if (/^(any|all)$/i.test(joined)) return 'any';
  if (/^(default|reset)$/i.test(joined)) return 'default';
  const ids = joined
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(
      (w) => /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(w)?.[1] ?? /^([CG][A-Z0-9]{5,})$/.exec(w)?.[1],
    );
  if (ids.length === 0 || ids.some((id) => id === undefined)) return undefined;
  return [...new Set(ids as string[])];
}

/**
 * Parses the words after `/video admin`: `limit user <n>`, `limit team <n>`,
 * `limit channels <ids|any>` (also without `limit`), or nothing / `show` for the current limits.
 */
export function parseAdminCommand(text: string): AdminChange | { error: string } {
  const words = text.trim().split(/\s+/).slice(1);
  if (words[0]?.toLowerCase() === 'limit' || words[0]?.toLowerCase() === 'limits') words.shift();
  const [what, ...rest] = words;
  const key = what?.toLowerCase();
  if (key === undefined || key === 'show') return { kind: 'show' };
  if (key === 'user' || key === 'team') {
    const limit = rest.length === 1 ? limitOf(rest[0]) : undefined;
    if (limit === undefined) return { error: ADMIN_USAGE };
    return key === 'user' ? { kind: 'user_limit', limit } : { kind: 'team_limit', limit };
  }
  if (key === 'budget' || key === 'budgets') {
    // `budget day 5`, `budget month 120.50`, `budget day default`: the team's money budgets.
    const [period, amount] = rest.map((w) => w.toLowerCase());
    const value =
      amount === 'default' || amount === 'reset'
        ? 'default'
        : amount !== undefined && /^\d+(\.\d{1,2})?$/.test(amount)
          ? Number(amount)
          : undefined;
    if ((period !== 'day' && period !== 'month') || value === undefined || rest.length !== 2)
      return { error: ADMIN_USAGE };
    return { kind: 'team_budget', period, amount: value };
  }
  if (key === 'channels' || key === 'channel') {
    const channels = channelsOf(rest);
    if (channels === undefined)
      return {
        error:
          'Name the channels by id (like C0123ABCD, from channel details) or pick them with #, or say any or default.',
      };
    return { kind: 'channels', channels };
  }
  return { error: ADMIN_USAGE };
}

/**
 * The one-sentence answer to `/video admin …`. Only ADMIN_USERS may use it on Slack (the adapter
 * marks them `isAdmin`); refusals and mistakes come back as sentences too, never as throws.
 */
export async function slackAdminAnswer(
  policy: AdminPolicy | undefined,
  by: JobOrigin,
  text: string,
): Promise<string> {
  const parsed = parseAdminCommand(text);
  if ('error' in parsed) return parsed.error;
  if (!policy) return 'Admin commands are not enabled in this bot.';
  try {
    return await applyAdminChange(policy, by, parsed);
  } catch (err) {
    // Refusals in the admin's language, from the catalog.
    if (err instanceof PolicyError) return messageFor(err, by.locale);
    return messageFor(asBotError(err), by.locale);
  }
}
