import type { APIAttachment, APIMessage } from 'discord-api-types/v10';
import { type FakeUser, interactionMember } from './payloads.js';

/** Who acts, and the per-interaction fields Discord derives from them. */
export interface Actor {
  user?: FakeUser;
  /** Discord locale of the user (`en-US`, `zh-CN`, ...). */
  locale?: string;
  /** Permission bits of the member in the channel (Manage Guild = 1 << 5). */
  permissions?: bigint;
  roles?: string[];
  /** Upload limit for this interaction in bytes (Discord's default is 10 MiB). */
  attachmentSizeLimit?: number;
}

export const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;

export interface InteractionContext {
  id: string;
  token: string;
  applicationId: string;
  guildId: string;
  channelId: string;
  actor: Required<Pick<Actor, 'user'>> & Actor;
}

/** The envelope every guild interaction carries (what discord.js reads in BaseInteraction). */
export function interactionBase(ctx: InteractionContext, type: number, data: unknown) {
  const at = new Date().toISOString();
  return {
    id: ctx.id,
    application_id: ctx.applicationId,
    type,
    data,
    guild_id: ctx.guildId,
    guild: { id: ctx.guildId, locale: 'en-US', features: [] },
    channel_id: ctx.channelId,
    channel: {
      id: ctx.channelId,
      type: 0,
      guild_id: ctx.guildId,
      name: 'videos',
      permissions: String(ctx.actor.permissions ?? 0n),
    },
    member: interactionMember(ctx.actor.user, {
      at,
      ...(ctx.actor.roles ? { roles: ctx.actor.roles } : {}),
      ...(ctx.actor.permissions !== undefined ? { permissions: ctx.actor.permissions } : {}),
    }),
    token: ctx.token,
    version: 1,
    app_permissions: String((1n << 10n) | (1n << 11n) | (1n << 15n)),
    locale: ctx.actor.locale ?? 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': ctx.guildId },
    context: 0,
    attachment_size_limit: ctx.actor.attachmentSizeLimit ?? DEFAULT_UPLOAD_LIMIT,
  };
}

export type OptionValue = string | number | boolean | APIAttachment;

const OPTION_TYPE = { string: 3, number: 10, boolean: 5 } as const;

/** CHAT_INPUT data; attachment options become type 11 with the attachment in `resolved`. */
export function chatInputData(
  commandId: string,
  name: string,
  options: Record<string, OptionValue>,
) {
  const attachments: Record<string, APIAttachment> = {};
  const opts = Object.entries(options).map(([optName, value]) => {
    if (typeof value === 'object') {
      attachments[value.id] = value;
      return { name: optName, type: 11, value: value.id };
    }
    const type =
      typeof value === 'number' && !Number.isInteger(value)
        ? 10
        : typeof value === 'number'
          ? 4
          : OPTION_TYPE[typeof value as 'string' | 'boolean'];
    return { name: optName, type, value };
  });
  return {
    id: commandId,
    name,
    type: 1,
    options: opts,
    ...(Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {}),
  };
}

/** MODAL_SUBMIT data: each field is a Label (18) around a text input (4) or a file upload (19). */
export function modalSubmitData(
  customId: string,
  fields: Record<string, string | APIAttachment[]>,
) {
  const attachments: Record<string, APIAttachment> = {};
  let n = 0;
  const components = Object.entries(fields).map(([fieldId, value]) => {
    n += 2;
    if (typeof value === 'string')
      return { type: 18, id: n - 1, component: { type: 4, id: n, custom_id: fieldId, value } };
    for (const a of value) attachments[a.id] = a;
    return {
      type: 18,
      id: n - 1,
      component: { type: 19, id: n, custom_id: fieldId, values: value.map((a) => a.id) },
    };
  });
  return {
    custom_id: customId,
    components,
    ...(Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {}),
  };
}

export function messageCommandData(commandId: string, name: string, target: APIMessage) {
  return {
    id: commandId,
    name,
    type: 3,
    target_id: target.id,
    resolved: { messages: { [target.id]: target } },
  };
}
