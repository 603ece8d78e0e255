import {
  FileUploadBuilder,
  LabelBuilder,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { wantsH3 } from '../chat/media-files.js';
import type { ImageSlot, RawVideoRequest } from '../core/request-types.js';
import { IMAGE_FILE_TYPES, MEDIA_FILE_TYPES } from './commands.js';
import { type Lang, t } from './i18n.js';
import type { ImagePick, PendingRequest } from './inputs.js';

export const MODAL_PREFIX = 'video-modal';
const FIELD = {
  prompt: 'prompt',
  first: 'first',
  last: 'last',
  subject: 'subject',
  references: 'references',
} as const;

type Carried = Omit<RawVideoRequest, 'images' | 'prompt'>;

/**
 * Options picked on /video travel in the modal's custom id (≤ 100 characters), so the modal can
 * stay at five fields: `video-modal|model|duration|resolution|camera|optimizer|watermark|ratio|enhance`.
 */
export function encodeCarried(c: Carried): string {
  const flag = (b: boolean | undefined) => (b === undefined ? '' : b ? '1' : '0');
  const id = [
    MODAL_PREFIX,
    c.model ?? '',
    c.duration ?? '',
    c.resolution ?? '',
    c.camera ?? '',
    flag(c.promptOptimizer),
    flag(c.watermark),
    // MiniMax-H3 fields only when set, so a Hailuo modal keeps its id of before.
    ...(c.ratio || c.enhance !== undefined ? [c.ratio ?? '', flag(c.enhance)] : []),
  ].join('|');
  return id.length <= 100 ? id : MODAL_PREFIX;
}

export function decodeCarried(customId: string): Carried | undefined {
  const [prefix, model, duration, resolution, camera, optimizer, watermark, ratio, enhance] =
    customId.split('|');
  if (prefix !== MODAL_PREFIX) return undefined;
  const carried: Carried = {};
  if (model) carried.model = model;
  if (duration) carried.duration = Number(duration);
  if (resolution) carried.resolution = resolution;
  if (camera) carried.camera = camera;
  if (optimizer) carried.promptOptimizer = optimizer === '1';
  if (watermark) carried.watermark = watermark === '1';
  if (ratio) carried.ratio = ratio;
  if (enhance) carried.enhance = enhance === '1';
  return carried;
}

function imageField(id: string, label: string, lang: Lang): LabelBuilder {
  return new LabelBuilder()
    .setLabel(label)
    .setDescription(t(lang, 'modalImageHint'))
    .setFileUploadComponent(
      new FileUploadBuilder()
        .setCustomId(id)
        .setRequired(false)
        .setMinValues(0)
        .setMaxValues(1)
        .setFileTypes(...IMAGE_FILE_TYPES),
    );
}

/** Discord's File Upload takes up to 10 files: MiniMax-H3 reference images, clips and voices. */
function referencesField(lang: Lang): LabelBuilder {
  return new LabelBuilder()
    .setLabel(t(lang, 'modalReferences'))
    .setDescription(t(lang, 'modalReferencesHint'))
    .setFileUploadComponent(
      new FileUploadBuilder()
        .setCustomId(FIELD.references)
        .setRequired(false)
        .setMinValues(0)
        .setMaxValues(10)
        .setFileTypes(...MEDIA_FILE_TYPES),
    );
}

/** The /video modal: a prompt, File Upload fields (type 19) for the image slots and references. */
export function videoModal(lang: Lang, carried: Carried = {}, defaultModel?: string): ModalBuilder {
  const modal = new ModalBuilder()
    .setCustomId(encodeCarried(carried))
    .setTitle(t(lang, 'modalTitle'))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(t(lang, 'modalPrompt'))
        .setDescription(t(lang, 'modalPromptHint'))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(FIELD.prompt)
            .setStyle(TextInputStyle.Paragraph)
            .setRequired(false)
            .setMaxLength(2000),
        ),
      imageField(FIELD.first, t(lang, 'modalFirst'), lang),
      imageField(FIELD.last, t(lang, 'modalLast'), lang),
      imageField(FIELD.subject, t(lang, 'modalSubject'), lang),
    );
  // A Hailuo request cannot use clips or more images: the field appears only for MiniMax-H3.
  return wantsH3(carried.model, defaultModel)
    ? modal.addLabelComponents(referencesField(lang))
    : modal;
}

/** Reads a submitted /video modal into a pending request (images not yet fetched). */
export function fromModal(i: ModalSubmitInteraction, carried: Carried): PendingRequest {
  const prompt = safely(() => i.fields.getTextInputValue(FIELD.prompt)) ?? '';
  const picks: ImagePick[] = [];
  const slots: [string, ImageSlot][] = [
    [FIELD.first, 'first'],
    [FIELD.last, 'last'],
    [FIELD.subject, 'subject'],
  ];
  for (const [field, slot] of slots) {
    const files = safely(() => i.fields.getUploadedFiles(field));
    const attachment = files?.first();
    if (attachment) picks.push({ slot, attachment });
  }
  const references = safely(() => i.fields.getUploadedFiles(FIELD.references));
  for (const attachment of references?.values() ?? [])
    picks.push({ role: 'reference', attachment });
  return { fields: { ...carried, ...(prompt.trim() ? { prompt } : {}) }, picks };
}

/** discord.js throws when an optional field was left out of the submission. */
function safely<T>(read: () => T): T | undefined {
  try {
    return read() ?? undefined;
  } catch {
    return undefined;
  }
}
