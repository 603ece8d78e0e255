import { CAMERA_COMMANDS, CAMERA_TABLE, cameraLabel } from '../core/camera.js';
import { SLOT_LABELS } from '../core/images.js';
import { MODE_LABELS } from '../core/models.js';
import type { ImageSlot, Mode } from '../core/request-types.js';
import type { Entry, MessageParams } from './catalog.js';
import { MODE_LABELS_ZH, SLOT_LABELS_ZH } from './labels-zh.js';

const s = (p: MessageParams, name: string): string => String(p[name] ?? '');
const fixed = (en: string, zh: string): Entry => ({ en: () => en, zh: () => zh });
/** Lists travel as `a|b|c` and are joined in each language's own way. */
const list = (p: MessageParams, name: string, sep: string): string =>
  s(p, name).split('|').filter(Boolean).join(sep);
const modeEn = (p: MessageParams) => MODE_LABELS[s(p, 'mode') as Mode] ?? s(p, 'mode');
const modeZh = (p: MessageParams) => MODE_LABELS_ZH[s(p, 'mode') as Mode] ?? s(p, 'mode');
const slot = (p: MessageParams) => s(p, 'slot') as ImageSlot;
const fmt = (p: MessageParams, name: string) => Number(p[name] ?? 0).toLocaleString('en-US');

/** The request rules of V1 models (src/core/request.ts), one sentence each. */
export const REQUEST_CATALOG = {
  mode_subject_with_frames: fixed(
    'A subject photo cannot be combined with first- or last-frame images; send either the subject photo or the frames.',
    '主体照片不能与首帧或尾帧图片一起使用，请只发送主体照片或只发送帧图片。',
  ),
  mode_last_without_first: fixed(
    'A last-frame image needs a first-frame image too; attach both, or only a first frame.',
    '尾帧图片需要同时提供首帧图片，请两张都附加，或只附加首帧图片。',
  ),
  bad_model: {
    en: (p) =>
      `"${s(p, 'value')}" is not a MiniMax video model; pick one of ${list(p, 'models', ', ')}.`,
    zh: (p) =>
      `“${s(p, 'value')}”不是 MiniMax 视频模型，请从 ${list(p, 'models', '、')} 中选择一个。`,
  },
  model_mode_only: {
    en: (p) => {
      const label = modeEn(p);
      return `${label.slice(0, 1).toUpperCase()}${label.slice(1)} videos only work with ${s(p, 'only')}; pick that model or leave the model empty.`;
    },
    zh: (p) => `${modeZh(p)}视频只能使用 ${s(p, 'only')}，请选择该模型或不填写模型。`,
  },
  model_needs_subject: {
    en: (p) =>
      `${s(p, 'model')} needs a subject photo; attach one as the subject image or pick another model.`,
    zh: (p) => `${s(p, 'model')} 需要一张主体照片，请附加主体照片或选择其他模型。`,
  },
  model_needs_first: {
    en: (p) => `${s(p, 'model')} needs a first-frame image; attach one or pick another model.`,
    zh: (p) => `${s(p, 'model')} 需要一张首帧图片，请附加一张或选择其他模型。`,
  },
  model_text_only: {
    en: (p) =>
      `${s(p, 'model')} only makes videos from text; remove the image or pick another model, such as ${s(p, 'example')}.`,
    zh: (p) =>
      `${s(p, 'model')} 只能根据文字生成视频，请移除图片或选择其他模型，例如 ${s(p, 'example')}。`,
  },
  bad_resolution_value: {
    en: (p) => `"${s(p, 'value')}" is not a resolution; pick ${list(p, 'allowed', ' or ')}.`,
    zh: (p) => `“${s(p, 'value')}”不是有效的分辨率，请选择 ${list(p, 'allowed', ' 或 ')}。`,
  },
  legacy_resolution: {
    en: (p) =>
      `${s(p, 'model')} always makes 720P videos; leave the resolution empty or pick a Hailuo model.`,
    zh: (p) => `${s(p, 'model')} 只能生成 720P 视频，请不填写分辨率或选择 Hailuo 模型。`,
  },
  resolution_for_mode: {
    en: (p) => {
      const hint =
        s(p, 'resolution') === '512P'
          ? ' (512P is only offered by MiniMax-Hailuo-02 image-to-video)'
          : '';
      return `${s(p, 'model')} cannot make ${s(p, 'resolution')} ${modeEn(p)} videos${hint}; pick ${list(p, 'allowed', ' or ')}.`;
    },
    zh: (p) => {
      const hint =
        s(p, 'resolution') === '512P' ? '（只有 MiniMax-Hailuo-02 图生视频提供 512P）' : '';
      return `${s(p, 'model')} 在${modeZh(p)}模式下无法生成 ${s(p, 'resolution')} 视频${hint}，请选择 ${list(p, 'allowed', ' 或 ')}。`;
    },
  },
  bad_duration_value: {
    en: (p) => `"${s(p, 'value')}" is not a duration; pick 6 or 10 seconds.`,
    zh: (p) => `“${s(p, 'value')}”不是有效的时长，请选择 6 秒或 10 秒。`,
  },
  legacy_duration: {
    en: (p) =>
      `${s(p, 'model')} only makes 6-second videos; pick 6 seconds, or a Hailuo model for 10 seconds.`,
    zh: (p) =>
      `${s(p, 'model')} 只能生成 6 秒的视频，请选择 6 秒，或选择 Hailuo 模型来生成 10 秒视频。`,
  },
  short_only_duration: {
    en: (p) =>
      `${s(p, 'resolution')} videos can only be 6 seconds long; pick 6 seconds, or 768P for a 10-second video.`,
    zh: (p) => `${s(p, 'resolution')} 视频只能是 6 秒，请选择 6 秒，或选择 768P 来生成 10 秒视频。`,
  },
  bad_camera: {
    en: (p) =>
      `"${s(p, 'value')}" is not a camera command; pick one of ${CAMERA_COMMANDS.join(', ')}.`,
    zh: (p) =>
      `“${s(p, 'value')}”不是有效的镜头指令，请从 ${CAMERA_TABLE.map((c) => c.zh).join('、')} 中选择一个。`,
  },
  camera_unsupported: {
    en: (p) => {
      const others = list(p, 'others', ' or ');
      return `${s(p, 'model')} ignores camera commands like [${s(p, 'command')}]; ${others ? `pick ${others}, or ` : ''}remove the camera command.`;
    },
    zh: (p) => {
      const others = list(p, 'others', ' 或 ');
      return `${s(p, 'model')} 不支持镜头指令（如 [${cameraLabel(s(p, 'command'), 'zh')}]），${others ? `请选择 ${others}，或` : '请'}删除镜头指令。`;
    },
  },
  empty_prompt: fixed(
    'Write a prompt describing the video, or attach an image to animate.',
    '请写一段描述视频的提示词，或附加一张要动起来的图片。',
  ),
  prompt_too_long: {
    en: (p) => {
      const what = p['withCamera'] ? 'The prompt with its camera command' : 'The prompt';
      return `${what} is ${fmt(p, 'length')} characters, ${fmt(p, 'over')} over the ${fmt(p, 'max')}-character limit; shorten it.`;
    },
    zh: (p) => {
      const what = p['withCamera'] ? '加上镜头指令后的提示词' : '提示词';
      return `${what}有 ${fmt(p, 'length')} 个字符，超出 ${fmt(p, 'max')} 字符的上限 ${fmt(p, 'over')} 个，请缩短。`;
    },
  },
  images_missing: {
    en: (p) =>
      `The ${SLOT_LABELS[slot(p)] ?? s(p, 'slot')} of this request is no longer available; please send the request again.`,
    zh: (p) => `此请求的${SLOT_LABELS_ZH[slot(p)] ?? s(p, 'slot')}已不可用，请重新发送请求。`,
  },
} satisfies Record<string, Entry>;
