import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CancelOutcome, VideoService } from '../core/video-service.js';
import { type ChatKey, chatText } from '../messages/catalog-chat.js';
import { langOf } from '../messages/index.js';
import { CANCEL_ACTION, REGENERATE_ACTION, UPSCALE_ACTION, VARIATIONS_ACTION } from './blocks.js';
import type { SlackApi } from './slack-api.js';
import type { Notify, SlackJobs } from './slack-jobs.js';

export interface ActionDeps {
  api: SlackApi;
  jobs: SlackJobs;
  service: VideoService;
  logger: Logger;
  adminUsers: readonly string[];
}

const CANCEL_ANSWERS: Record<Exclude<CancelOutcome, 'cancelled'>, ChatKey> = {
  not_allowed: 'slackCancelNotAllowed',
  too_late: 'slackCancelTooLate',
  not_found: 'slackCancelNotFound',
};

/** The status message's buttons: Cancel (requester or admin) and Regenerate (anyone). */
export function registerActions(app: App, deps: ActionDeps): void {
  const { api, jobs, service, logger } = deps;

  const notifier =
    (body: BlockAction): Notify =>
    (text) => {
      const channel = body.channel?.id ?? body.container?.channel_id;
      if (!channel) return Promise.resolve();
      const threadTs = (body.message as { thread_ts?: string } | undefined)?.thread_ts;
      return api
        .postEphemeral(channel, body.user.id, text, threadTs)
        .catch((err: unknown) => logger.warn({ err }, 'could not answer the button'));
    };

  app.action<BlockAction<ButtonAction>>(CANCEL_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    const outcome = await service
      .cancel(action.value ?? '', userId, {
        isAdmin: deps.adminUsers.includes(userId),
        platform: 'slack',
        ...(body.team?.id ? { workspaceId: body.team.id } : {}),
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'cancel failed');
        return 'not_found' as const;
      });
    // A successful cancel shows up in the status message through the `cancelled` event.
    if (outcome !== 'cancelled') {
      // In the clicking user's Slack language (users.info, cached).
      const lang = langOf((await api.userLocale(body.user.id).catch(() => undefined)) ?? 'en');
      await notifier(body)(chatText(lang, CANCEL_ANSWERS[outcome]));
    }
  });

  for (const actionId of [REGENERATE_ACTION, VARIATIONS_ACTION, UPSCALE_ACTION])
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const kind =
        actionId === VARIATIONS_ACTION ? 'vary' : actionId === UPSCALE_ACTION ? 'upscale' : 'regen';
      const vary = kind === 'vary';
      const channelId = body.channel?.id ?? body.container?.channel_id;
      const message = body.message as { ts?: string; thread_ts?: string } | undefined;
      if (!channelId) return;
      const key = `slack:${kind}:${body.team?.id}:${body.trigger_id}`;
      if (jobs.seenRecently(key)) return;
      const place = {
        userId: body.user.id,
        channelId,
        teamId: body.team?.id,
        // Keep the new attempt next to the old one: in the old status message's thread.
        threadTs: message?.thread_ts ?? message?.ts,
      };
      await jobs.resubmit(action.value ?? '', place, key, notifier(body), vary, kind === 'upscale');
    });
}
