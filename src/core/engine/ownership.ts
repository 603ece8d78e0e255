import { InputError, PolicyError } from '../errors.js';
import type { Job, JobOrigin } from '../jobs/job.js';

/** Who acts on an existing job: the platform and team it clicked from, and whether an admin. */
export type Actor = Pick<JobOrigin, 'platform' | 'userId' | 'workspaceId' | 'isAdmin'>;

/**
 * A job belongs to one team on one platform: a button or id from elsewhere (another server, a
 * copied Slack payload) must not reach it, whatever rights the actor has there. The CLI, which
 * runs on the operator's machine, is trusted everywhere.
 */
export function isSameTeam(job: Job, actor: Pick<Actor, 'platform' | 'workspaceId'>): boolean {
  if (actor.platform === 'cli') return true;
  return (
    job.origin.platform === actor.platform &&
    (job.origin.workspaceId ?? '') === (actor.workspaceId ?? '')
  );
}

/** The requester, or an admin of the same team. */
export function mayActOn(job: Job, actor: Actor): boolean {
  return isSameTeam(job, actor) && (job.origin.userId === actor.userId || actor.isAdmin === true);
}

/**
 * Regenerate and Variations make a new paid video from someone's prompt and photos: only their
 * requester (or an admin) of the same team may ask. Another team's job looks like a missing one.
 */
export function assertMayResubmit(source: Job, actor: JobOrigin): void {
  if (!isSameTeam(source, actor)) throw sourceGone();
  if (source.origin.userId !== actor.userId && actor.isAdmin !== true) {
    throw new PolicyError({ code: 'not_owner' });
  }
}

export function sourceGone(): InputError {
  return new InputError({ code: 'job_not_found', textKey: 'source_gone' });
}
