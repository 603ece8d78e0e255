import type { Config } from './config.js';
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

/** Request-signature headers the platforms send us; logged only redacted (Slack signs requests). */
export const SIGNATURE_HEADERS: readonly string[] = ['x-slack-signature'];
