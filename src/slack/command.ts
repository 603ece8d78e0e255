import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AdminPolicy } from '../chat/admin-change.js';
import { parseVideoCommand } from '../chat/command-parser.js';
import type { DashboardLinks } from '../dashboard/sign-in-links.js';
import { chatText } from '../messages/catalog-chat.js';
import { langOf } from '../messages/index.js';
import { isAdminRequest, slackAdminAnswer } from './admin-command.js';
import { buildVideoModal, MODAL_CALLBACK_ID, readModalSubmission } from './modal.js';
import type { SlackApi } from './slack-api.js';
import type { Notify, SlackJobs } from './slack-jobs.js';
import { isStatusRequest, type SlackStatusDeps, slackStatusText } from './status-command.js';

export interface CommandDeps {
  api: SlackApi;
  jobs: SlackJobs;
  logger: Logger;
  /** Default `/video`. */
  commandName: string;
  /** Answers `/video status`; without it, "status" is an ordinary prompt. */
  status?: SlackStatusDeps;
  /** Backs `/video admin …`; without it, the command says admin commands are off. */
  policy?: AdminPolicy;
  /** Backs `/video dashboard` (a private one-time sign-in link). */
  dashboardLinks?: DashboardLinks;
}

const isDashboardRequest = (text: string) => /^\s*(dashboard|面板)\s*$/i.test(text);

/** `/video <prompt> [--flags]`, `/video` alone (the modal), and the modal's submission. */
export function registerCommand(app: App, deps: CommandDeps): void {
  const { api, jobs, logger } = deps;

  app.command(deps.commandName, async ({ command, ack, respond }) => {
    const notify: Notify = (text) =>
      respond({ response_type: 'ephemeral', replace_original: false, text })
        .then(() => undefined)
        .catch((err: unknown) => logger.warn({ err }, 'could not answer the slash command'));
    const raw = command.text ?? '';
    if (deps.status && isStatusRequest(raw)) {
      await ack();
      // In the user's Slack language (users.info, cached), like the status messages.
      const lang = langOf((await api.userLocale(command.user_id).catch(() => undefined)) ?? 'en');
      const who = { userId: command.user_id, teamId: command.team_id, lang };
      const text = await slackStatusText(deps.status, who).catch((err: unknown) => {
        logger.error({ err }, 'could not read the status');
        return chatText(lang, 'statusUnavailable');
      });
      await notify(text);
      return;
    }
    if (isDashboardRequest(raw)) {
      await ack();
      const lang = langOf((await api.userLocale(command.user_id).catch(() => undefined)) ?? 'en');
      const url = await deps.dashboardLinks
        ?.create({
          platform: 'slack',
          workspaceId: command.team_id,
          userId: command.user_id,
          isAdmin:
            jobs.origin({ userId: command.user_id, channelId: command.channel_id }).isAdmin ===
            true,
          ...(command.user_name ? { name: command.user_name } : {}),
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'could not make a dashboard link');
          return null;
        });
      const text =
        url === null
          ? chatText(lang, 'dashboardUnavailable')
          : url
            ? chatText(lang, 'dashboardLink', { url })
            : chatText(lang, 'dashboardNoUrl');
      // No preview of the sign-in link: nothing but its owner should fetch it.
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        unfurl_links: false,
        unfurl_media: false,
        text,
      }).catch((err: unknown) => logger.warn({ err }, 'could not answer the slash command'));
      return;
    }
    if (isAdminRequest(raw)) {
      await ack();
      const by = jobs.origin({
        userId: command.user_id,
        channelId: command.channel_id,
        teamId: command.team_id,
      });
      const locale = (await api.userLocale(command.user_id).catch(() => undefined)) ?? 'en';
      await notify(await slackAdminAnswer(deps.policy, { ...by, locale }, raw));
      return;
    }
    const parsed = parseVideoCommand(raw);
    if (parsed.kind === 'error') {
      await ack({ response_type: 'ephemeral', text: parsed.message });
      return;
    }
    await ack();

    if (parsed.kind === 'modal') {
      const view = buildVideoModal({ channelId: command.channel_id });
      await api.openView(command.trigger_id, view).catch(async (err: unknown) => {
        logger.warn({ err }, 'could not open the /video form');
        await notify('The form did not open; type /video followed by a prompt instead.');
      });
      return;
    }
    const place = {
      userId: command.user_id,
      ...(command.user_name ? { userName: command.user_name } : {}),
      channelId: command.channel_id,
      teamId: command.team_id,
    };
    const key = `slack:cmd:${command.team_id}:${command.trigger_id}`;
    if (jobs.seenRecently(key)) return;
    await jobs.submitNew(place, key, notify, async () => parsed.request);
  });

  app.view(MODAL_CALLBACK_ID, async ({ ack, view, body }) => {
    const read = readModalSubmission(view);
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    await ack();
    const { context, request, files, references } = read.submission;
    const userId = body.user.id;
    const teamId = body.team?.id ?? view.team_id;
    const notify: Notify = (text) =>
      api
        .postEphemeral(context.channelId, userId, text, context.threadTs)
        // Not a member of that channel: fall back to a direct message from the bot.
        .catch(() => api.postMessage(userId, { text, blocks: [] }).then(() => undefined))
        .catch((err: unknown) => logger.warn({ err }, 'could not tell the user about the form'));
    const key = `slack:view:${teamId}:${view.id}`;
    if (jobs.seenRecently(key)) return;
    const place = {
      userId,
      ...(body.user.name ? { userName: body.user.name } : {}),
      channelId: context.channelId,
      teamId,
      threadTs: context.threadTs,
    };
    await jobs.submitNew(place, key, notify, async () => {
      const media = await jobs.downloadFiles(references, 'reference');
      return {
        ...request,
        images: await jobs.downloadImages(files),
        ...(media.length ? { media } : {}),
      };
    });
  });
}
