import type { Config } from '../config.js';
import { PolicyError } from '../core/errors.js';
import type { PlatformAccess } from '../core/policy/submit-policy.js';

/** Slack's access rule: SLACK_ALLOWED_USERS or SLACK_ALLOWED_GROUPS (groups arrive in `roles`). */
export function slackAccess(
  config: Pick<Config, 'SLACK_ALLOWED_USERS' | 'SLACK_ALLOWED_GROUPS'>,
): PlatformAccess {
  const users = config.SLACK_ALLOWED_USERS;
  const groups = config.SLACK_ALLOWED_GROUPS;
  return {
    workspaceName: { en: 'workspace', zh: '工作区' },
    checkUser(o) {
      if (users.length === 0 && groups.length === 0) return;
      if (users.includes(o.userId) || o.roles?.some((g) => groups.includes(g))) return;
      throw new PolicyError({
        code: 'user_not_allowed',
        textKey: groups.length > 0 ? 'user_not_in_group' : 'user_not_listed',
      });
    },
  };
}
