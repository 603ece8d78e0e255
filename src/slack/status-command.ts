import { type UserStatusDeps, userStatusText } from '../chat/user-status.js';

export type SlackStatusDeps = UserStatusDeps;

/** `/video status` asks for this text; anything else is a prompt. */
export function isStatusRequest(text: string): boolean {
  return /^\s*(status|quota|状态)\s*$/i.test(text);
}

/** Slack mrkdwn treats these three as markup, so user text is escaped before it is echoed. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The ephemeral answer to `/video status`: active jobs, queue positions, today's quota. */
export function slackStatusText(
  deps: SlackStatusDeps,
  who: { userId: string; teamId?: string; lang?: 'en' | 'zh' },
): Promise<string> {
  const asker = {
    platform: 'slack' as const,
    userId: who.userId,
    ...(who.teamId ? { workspaceId: who.teamId } : {}),
    ...(who.lang ? { lang: who.lang } : {}),
  };
  return userStatusText(deps, asker, escapeSlack);
}
