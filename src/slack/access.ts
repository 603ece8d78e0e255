import type { Config } from '../core/config.js';
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
      throw new PolicyError(
        'user_not_allowed',
        groups.length > 0
          ? 'You are not in a user group allowed to make videos; ask a workspace admin to add you to one.'
          : 'You are not on the list of people allowed to make videos; ask a workspace admin to add you.',
        undefined,
        groups.length > 0
          ? '你不在允许生成视频的用户组中，请让工作区管理员把你加入其中一个。'
          : '你不在允许生成视频的名单中，请让工作区管理员添加你。',
      );
    },
  };
}
