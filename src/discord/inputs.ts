import type { Attachment, ChatInputCommandInteraction } from 'discord.js';
import type {
  ImageInput,
  ImageSlot,
  MediaInput,
  MediaRole,
  RawVideoRequest,
} from '../core/request-types.js';
import { OPTION, REFERENCE_OPTIONS } from './commands.js';

/** Downloads one attachment (safe-fetch's `fetchAttachment` with the adapter's limits bound). */
export type AttachmentFetcher = (url: string) => Promise<Buffer>;

/**
 * An attachment chosen for the request, not yet downloaded: for an image slot, or (no slot) a
 * MiniMax-H3 file whose use the core decides from `role` and the frames-or-references rule.
 */
export interface ImagePick {
  slot?: ImageSlot;
  role?: MediaRole;
  attachment: Pick<Attachment, 'url' | 'name'> & { contentType?: string | null };
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
  for (const name of REFERENCE_OPTIONS) {
    const attachment = o.getAttachment(name);
    if (attachment) picks.push({ role: 'reference', attachment });
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

/** MiniMax-H3 files of a message: each one unlabelled, or all references with `--subject`. */
export function picksFromFiles(
  files: ImagePick['attachment'][],
  asReference: boolean,
): ImagePick[] {
  return files.map((attachment) =>
    asReference ? { role: 'reference', attachment } : { attachment },
  );
}

/** Fetches the picked files (all at once) and returns the request for the core to validate. */
export async function resolveImages(
  pending: PendingRequest,
  fetch: AttachmentFetcher,
): Promise<RawVideoRequest> {
  const fetched = await Promise.all(
    pending.picks.map(async (p) => ({ pick: p, bytes: await fetch(p.attachment.url) })),
  );
  const raw: RawVideoRequest = { ...pending.fields };
  const images: Partial<Record<ImageSlot, ImageInput>> = {};
  const media: MediaInput[] = [];
  for (const { pick, bytes } of fetched) {
    const input = { bytes, name: pick.attachment.name };
    if (pick.slot) images[pick.slot] = input;
    else
      media.push({
        ...input,
        ...(pick.attachment.contentType ? { contentType: pick.attachment.contentType } : {}),
        ...(pick.role ? { role: pick.role } : {}),
      });
  }
  if (Object.keys(images).length > 0) raw.images = images;
  if (media.length > 0) raw.media = media;
  return raw;
}

/** Strips user, role and channel mentions (the bot's own included) from a message's text. */
export function promptFromMessage(content: string): string {
  return content
    .replace(/<@[!&]?\d+>|<#\d+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
