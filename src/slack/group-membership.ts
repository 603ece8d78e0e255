import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { PolicyError } from '../core/errors.js';
import { type SlackApi, slackErrorCode } from './slack-api.js';

/** Membership changes show up after at most this long. */
export const GROUP_CACHE_TTL_MS = 5 * 60_000;

export interface GroupMembershipOptions {
  api: Pick<SlackApi, 'usergroupMembers'>;
  clock: Clock;
  logger: Logger;
  /** SLACK_ALLOWED_GROUPS: the only groups ever looked up. */
  groups: readonly string[];
  /** Default 5 minutes. */
  ttlMs?: number;
}

interface Entry {
  members: ReadonlySet<string>;
  until: number;
}

/**
 * Which of SLACK_ALLOWED_GROUPS a user belongs to, from usergroups.users.list with a short cache
 * per group, so a busy channel costs one lookup per group every few minutes. Concurrent misses
 * for one group share one call. A failed lookup is never cached and refuses the request: an
 * allowlist that cannot be read must not let everyone in.
 */
export class GroupMembership {
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(private readonly options: GroupMembershipOptions) {}

  get isEnabled(): boolean {
    return this.options.groups.length > 0;
  }

  /** The allowed groups `userId` is in; throws PolicyError when Slack could not tell us. */
  async groupsOf(userId: string): Promise<string[]> {
    const found: string[] = [];
    for (const group of this.options.groups) {
      const members = await this.members(group);
      if (members.has(userId)) found.push(group);
    }
    return found;
  }

  private async members(group: string): Promise<ReadonlySet<string>> {
    const { clock, logger } = this.options;
    const hit = this.cache.get(group);
    if (hit && hit.until > clock.now()) return hit.members;
    const inFlight = this.pending.get(group);
    if (inFlight) return inFlight;
    const lookup = this.options.api
      .usergroupMembers(group)
      .then((ids) => {
        const members = new Set(ids);
        this.cache.set(group, {
          members,
          until: clock.now() + (this.options.ttlMs ?? GROUP_CACHE_TTL_MS),
        });
        return members;
      })
      .catch((err: unknown) => {
        const code = slackErrorCode(err);
        logger.warn({ err, code, usergroup: group }, 'could not read a Slack user group; refusing');
        throw new PolicyError({ code: 'group_lookup_failed' });
      })
      .finally(() => this.pending.delete(group));
    this.pending.set(group, lookup);
    return lookup;
  }
}
