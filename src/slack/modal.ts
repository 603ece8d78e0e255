import type { types } from '@slack/bolt';
import { MEDIA_EXTENSIONS } from '../chat/media-files.js';
import { CAMERA_COMMANDS } from '../core/camera.js';
import { V2_MODELS } from '../core/h3-models.js';
import { MODELS, RESOLUTIONS } from '../core/models.js';
import { type ImageSlot, RATIOS, type RawVideoRequest } from '../core/request-types.js';
import type { SlackFile } from './slack-api.js';

export const MODAL_CALLBACK_ID = 'video_modal';
const IMAGE_TYPES = ['jpg', 'jpeg', 'png', 'webp'];

/** Where the modal's result goes; carried in `private_metadata`. */
export interface ModalContext {
  channelId: string;
  threadTs?: string;
}

/** Block ids of the modal; the action id of every input is `value`. */
export const MODAL_BLOCKS = {
  prompt: 'prompt',
  model: 'model',
  duration: 'duration',
  resolution: 'resolution',
  camera: 'camera',
  ratio: 'ratio',
  enhance: 'enhance',
  first: 'first_frame',
  last: 'last_frame',
  subject: 'subject',
  references: 'references',
} as const;

const option = (text: string, value = text): types.PlainTextOption => ({
  text: { type: 'plain_text', text },
  value,
});

function select(
  blockId: string,
  label: string,
  placeholder: string,
  options: types.PlainTextOption[],
) {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'static_select',
      action_id: 'value',
      placeholder: { type: 'plain_text', text: placeholder },
      options,
    },
  } as types.InputBlock;
}

function fileInput(
  blockId: string,
  label: string,
  hint: string,
  files: { types: readonly string[]; max: number } = { types: IMAGE_TYPES, max: 1 },
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: { type: 'plain_text', text: label },
    hint: { type: 'plain_text', text: hint },
    element: {
      type: 'file_input',
      action_id: 'value',
      filetypes: [...files.types],
      max_files: files.max,
    },
  } as types.InputBlock;
}

/** The `/video` form: prompt, model / duration / resolution / camera, and three image slots. */
export function buildVideoModal(context: ModalContext, prefill?: RawVideoRequest): types.View {
  const prompt: types.InputBlock = {
    type: 'input',
    block_id: MODAL_BLOCKS.prompt,
    optional: true,
    label: { type: 'plain_text', text: 'Prompt' },
    hint: {
      type: 'plain_text',
      text: 'Describe the scene and motion. Optional when you add a first frame or a subject photo.',
    },
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      multiline: true,
      max_length: 2000,
      ...(prefill?.prompt ? { initial_value: prefill.prompt } : {}),
      placeholder: { type: 'plain_text', text: 'A cat surfing a wave at sunset' },
    },
  };
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACK_ID,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: 'Make a video' },
    submit: { type: 'plain_text', text: 'Generate' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      prompt,
      select(
        MODAL_BLOCKS.model,
        'Model',
        'Best for the inputs',
        [...MODELS, ...V2_MODELS].map((m) => option(m)),
      ),
      select(
        MODAL_BLOCKS.duration,
        'Duration',
        '6 seconds',
        // Hailuo takes 6 or 10 s, MiniMax-H3 4–15 s; the core refuses a wrong pair in one sentence.
        Array.from({ length: 12 }, (_, i) => i + 4).map((d) => option(`${d} seconds`, String(d))),
      ),
      select(
        MODAL_BLOCKS.resolution,
        'Resolution',
        '768P',
        [...RESOLUTIONS, '480P', '2K'].map((r) => option(r)),
      ),
      select(
        MODAL_BLOCKS.ratio,
        'Aspect ratio (MiniMax-H3)',
        '16:9 for text alone',
        RATIOS.map((r) => option(r)),
      ),
      {
        type: 'input',
        block_id: MODAL_BLOCKS.enhance,
        optional: true,
        label: { type: 'plain_text', text: 'Prompt enhancer (MiniMax-H3)' },
        element: {
          type: 'checkboxes',
          action_id: 'value',
          options: [option('Let MiniMax rewrite the prompt first', 'on')],
        },
      },
      select(
        MODAL_BLOCKS.camera,
        'Camera movement',
        'None',
        CAMERA_COMMANDS.map((c) => option(c)),
      ),
      fileInput(MODAL_BLOCKS.first, 'First frame', 'Animate this image (JPG, PNG or WebP).'),
      fileInput(MODAL_BLOCKS.last, 'Last frame', 'With a first frame: the video ends here.'),
      fileInput(
        MODAL_BLOCKS.subject,
        'Subject photo',
        // MiniMax's S2V schema needs only the model and the photo (research §2); a prompt helps.
        'A face to keep in the video; a prompt is optional.',
      ),
      // Slack's file input takes up to 10 files.
      fileInput(
        MODAL_BLOCKS.references,
        'References (MiniMax-H3)',
        'Up to 10 images, MP4/MOV clips or MP3/WAV voices for the video to follow.',
        { types: MEDIA_EXTENSIONS, max: 10 },
      ),
    ],
  };
}

type StateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: { value: string }[];
      files?: SlackFile[];
    }
  >
>;

/** What a submitted modal asks for: the request (images still to download) and where to post. */
export interface ModalSubmission {
  context: ModalContext;
  request: RawVideoRequest;
  files: Partial<Record<ImageSlot, SlackFile>>;
  /** The references field: MiniMax-H3 reference images, clips and voices. */
  references: SlackFile[];
}

/** Reads a submitted modal; `errors` (block id → sentence) when it cannot make any video. */
export function readModalSubmission(view: {
  private_metadata?: string;
  state: { values: StateValues };
}): { submission: ModalSubmission } | { errors: Record<string, string> } {
  const values = view.state.values;
  const get = (block: string) => values[block]?.value;
  const text = get(MODAL_BLOCKS.prompt)?.value?.trim();
  const pick = (block: string) => get(block)?.selected_option?.value;
  const file = (block: string) => get(block)?.files?.[0];

  const request: RawVideoRequest = {};
  if (text) request.prompt = text;
  const model = pick(MODAL_BLOCKS.model);
  if (model) request.model = model;
  const duration = pick(MODAL_BLOCKS.duration);
  if (duration) request.duration = duration;
  const resolution = pick(MODAL_BLOCKS.resolution);
  if (resolution) request.resolution = resolution;
  const camera = pick(MODAL_BLOCKS.camera);
  if (camera) request.camera = camera;
  const ratio = pick(MODAL_BLOCKS.ratio);
  if (ratio) request.ratio = ratio;
  if (get(MODAL_BLOCKS.enhance)?.selected_options?.some((o) => o.value === 'on'))
    request.enhance = true;

  const files: ModalSubmission['files'] = {};
  const first = file(MODAL_BLOCKS.first);
  const last = file(MODAL_BLOCKS.last);
  const subject = file(MODAL_BLOCKS.subject);
  if (first) files.first = first;
  if (last) files.last = last;
  if (subject) files.subject = subject;
  const references = get(MODAL_BLOCKS.references)?.files ?? [];

  if (!text && !first && !subject) {
    return { errors: { [MODAL_BLOCKS.prompt]: 'Write a prompt or add a first-frame image.' } };
  }
  let context: ModalContext;
  try {
    context = JSON.parse(view.private_metadata ?? '') as ModalContext;
  } catch {
    return { errors: { [MODAL_BLOCKS.prompt]: 'This form has expired; run /video again.' } };
  }
  return { submission: { context, request, files, references } };
}
