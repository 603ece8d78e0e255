import type { Config } from '../config.js';
import { PolicyError } from '../core/errors.js';
import type { PlatformAccess } from '../core/policy/submit-policy.js';

/** Discord's access rule: DISCORD_ALLOWED_ROLES (the adapter puts the member's roles in `roles`). */
export function discordAccess(config: Pick<Config, 'DISCORD_ALLOWED_ROLES'>): PlatformAccess {
  const roles = config.DISCORD_ALLOWED_ROLES;
  return {
    workspaceName: { en: 'server', zh: '服务器' },
    checkUser(o) {
      if (roles.length === 0 || o.roles?.some((r) => roles.includes(r))) return;
      throw new PolicyError({ code: 'role_not_allowed' });
    },
  };
}
