import type { Config } from './core/config.js';
import type { PlatformAccess } from './core/policy/submit-policy.js';
import { discordAccess } from './discord/access.js';
import { slackAccess } from './slack/access.js';

/**
 * Each platform's access rules for the submit policy, keyed by `origin.platform`. Built by the
 * composition root (and test harnesses) so the core never names a platform.
 */
export function platformAccessFrom(config: Config): Record<string, PlatformAccess> {
  return { discord: discordAccess(config), slack: slackAccess(config) };
}
