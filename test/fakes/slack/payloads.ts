import type { FakeIdentity } from './web-api.js';

/** Options of a user's `/video` invocation. */
export interface SlashCommandInput {
  text: string;
  userId?: string;
  channelId?: string;
  triggerId?: string;
  command?: string;
}

export function slashCommandFields(
  input: SlashCommandInput,
  id: FakeIdentity,
  seq: number,
): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: id.teamId,
    team_domain: 'fake',
    channel_id: input.channelId ?? 'C0CHANNEL',
    channel_name: 'general',
    user_id: input.userId ?? 'U0USER',
    user_name: 'someone',
    command: input.command ?? '/video',
    text: input.text,
    api_app_id: id.appId,
    is_enterprise_install: 'false',
    response_url: `${id.baseUrl}/response/${seq}`,
    trigger_id: input.triggerId ?? `${seq}.1111.trigger`,
  };
}

export interface BlockActionInput {
  actionId: string;
  value: string;
  userId?: string;
  channelId: string;
  messageTs: string;
  threadTs?: string;
}

export function blockActionPayload(
  input: BlockActionInput,
  id: FakeIdentity,
  seq: number,
): Record<string, unknown> {
  const user = input.userId ?? 'U0USER';
  return {
    type: 'block_actions',
    user: { id: user, username: 'someone', name: 'someone', team_id: id.teamId },
    api_app_id: id.appId,
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channelId,
      is_ephemeral: false,
    },
    trigger_id: `${seq}.2222.trigger`,
    team: { id: id.teamId, domain: 'fake' },
    channel: { id: input.channelId, name: 'general' },
    message: {
      type: 'message',
      ts: input.messageTs,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
      bot_id: id.botId,
    },
    response_url: `${id.baseUrl}/response/${seq}`,
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: 'actions',
        value: input.value,
        action_ts: `${1_700_000_000 + seq}.000000`,
      },
    ],
  };
}

export interface ViewSubmissionInput {
  /** The view as opened by the bot (callback_id, private_metadata, blocks). */
  view: Record<string, unknown>;
  /** `state.values`: block id -> action id -> value. */
  values: Record<string, Record<string, Record<string, unknown>>>;
  userId?: string;
}

export function viewSubmissionPayload(
  input: ViewSubmissionInput,
  id: FakeIdentity,
  seq: number,
): Record<string, unknown> {
  const user = input.userId ?? 'U0USER';
  return {
    type: 'view_submission',
    team: { id: id.teamId, domain: 'fake' },
    user: { id: user, username: 'someone', name: 'someone', team_id: id.teamId },
    api_app_id: id.appId,
    token: 'legacy-verification-token',
    trigger_id: `${seq}.3333.trigger`,
    view: {
      id: input.view.id ?? `V${seq}`,
      team_id: id.teamId,
      type: 'modal',
      callback_id: input.view.callback_id,
      private_metadata: input.view.private_metadata ?? '',
      blocks: input.view.blocks ?? [],
      state: { values: input.values },
      hash: `hash-${seq}`,
      app_id: id.appId,
      bot_id: id.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

export function eventCallback(
  event: Record<string, unknown>,
  eventId: string,
  id: FakeIdentity,
): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: id.teamId,
    api_app_id: id.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: 1_700_000_000,
    authorizations: [
      { team_id: id.teamId, user_id: id.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}
