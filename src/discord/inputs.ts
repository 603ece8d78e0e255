import type { Attachment, ChatInputCommandInteraction } from 'discord.js';
import type { ImageInput, ImageSlot, RawVideoRequest } from '../core/request-types.js';
import { OPTION } from './commands.js';

/** Downloads one attachment (safe-fetch's `fetchAttachment` with the adapter's limits bound). */
export type AttachmentFetcher = (url: string) => Promise<Buffer>;

/** An attachment chosen for an image slot, not yet downloaded. */
export interface ImagePick {
  slot: ImageSlot;
  attachment: Pick<Attachment, 'url' | 'name'>;
}

/** The request's fields before the images are fetched. */
export interface PendingRequest {
  fields: Omit<RawVideoRequest, 'images'>;
  picks: ImagePick[];
}

const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;
const IMAGE_TYPE = /^image\/(jpeg|png|webp)\b/i;

/** Whether a message attachment looks like an image MiniMax accepts (the core checks the bytes). */
export function isImageAttachment(a: Pick<Attachment, 'name' | 'contentType'>): boolean {
  return a.contentType ? IMAGE_TYPE.test(a.contentType) : IMAGE_EXT.test(a.name);
}

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

/** Reads /video's options; attachments are picked but not fetched, so the reply can be deferred first. */
export function fromSlashOptions(i: ChatInputCommandInteraction): PendingRequest {
  const o = i.options;
  const picks: ImagePick[] = [];
  const slots: [string, ImageSlot][] = [
    [OPTION.image, 'first'],
    [OPTION.lastFrame, 'last'],
    [OPTION.subject, 'subject'],
  ];
  for (const [name, slot] of slots) {
    const attachment = o.getAttachment(name);
    if (attachment) picks.push({ slot, attachment });
  }
  return {
    fields: defined({
      prompt: o.getString(OPTION.prompt) ?? undefined,
      model: o.getString(OPTION.model) ?? undefined,
      duration: o.getInteger(OPTION.duration) ?? undefined,
      resolution: o.getString(OPTION.resolution) ?? undefined,
      camera: o.getString(OPTION.camera) ?? undefined,
      promptOptimizer: o.getBoolean(OPTION.promptOptimizer) ?? undefined,
      watermark: o.getBoolean(OPTION.watermark) ?? undefined,
      ratio: o.getString(OPTION.ratio) ?? undefined,
      enhance: o.getBoolean(OPTION.enhance) ?? undefined,
    }),
    picks,
  };
}

/** Whether /video was given anything to animate; without it the modal opens instead. */
export function hasContent(p: PendingRequest): boolean {
  return Boolean(p.fields.prompt?.trim()) || p.picks.length > 0;
}

/** One image animates it (I2V); two are the first and last frame (FL2V). */
export function picksFromImages(images: Pick<Attachment, 'url' | 'name'>[]): ImagePick[] {
  const [first, last] = images;
  return [
    ...(first ? [{ slot: 'first' as const, attachment: first }] : []),
    ...(last ? [{ slot: 'last' as const, attachment: last }] : []),
  ];
}

/** Fetches the picked images (all at once) and returns the request for the core to validate. */
export async function resolveImages(
  pending: PendingRequest,
  fetch: AttachmentFetcher,
): Promise<RawVideoRequest> {
  const fetched = await Promise.all(
    pending.picks.map(
      async (p): Promise<[ImageSlot, ImageInput]> => [
        p.slot,
        { bytes: await fetch(p.attachment.url), name: p.attachment.name },
      ],
    ),
  );
  return fetched.length > 0
    ? { ...pending.fields, images: Object.fromEntries(fetched) }
    : { ...pending.fields };
}

/** Strips user, role and channel mentions (the bot's own included) from a message's text. */
export function promptFromMessage(content: string): string {
  return content
    .replace(/<@[!&]?\d+>|<#\d+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
