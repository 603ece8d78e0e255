import type { Entry, MessageParams } from './catalog.js';

const s = (p: MessageParams, name: string): string => String(p[name] ?? '');
const fixed = (en: string, zh: string): Entry => ({ en: () => en, zh: () => zh });

/** MiniMax-H3 (V2 API) request rules, one sentence each (research/minimax-h3.md §6). */
export const H3_CATALOG = {
  h3_resolution: {
    en: (p) => `${s(p, 'model')} makes ${s(p, 'allowed')} videos; pick one of those resolutions.`,
    zh: (p) => `${s(p, 'model')} 只能生成 ${s(p, 'allowed')} 视频，请选择其中一种分辨率。`,
  },
  h3_duration: {
    en: (p) =>
      `${s(p, 'model')} makes videos of ${s(p, 'min')} to ${s(p, 'max')} whole seconds; pick a length in that range.`,
    zh: (p) =>
      `${s(p, 'model')} 只能生成 ${s(p, 'min')} 到 ${s(p, 'max')} 整秒的视频，请选择该范围内的时长。`,
  },
  h3_ratio: {
    en: (p) => `"${s(p, 'value')}" is not an aspect ratio; pick one of ${s(p, 'allowed')}.`,
    zh: (p) => `“${s(p, 'value')}”不是有效的画面比例，请从 ${s(p, 'allowed')} 中选择。`,
  },
  h3_ratio_text_only: fixed(
    'A video made from text alone needs a fixed aspect ratio; pick 16:9, 9:16 or another ratio instead of adaptive.',
    '纯文字生成的视频需要固定的画面比例，请选择 16:9、9:16 等比例，而不是自适应。',
  ),
  h3_prompt_empty: fixed(
    'Write a prompt describing the video; MiniMax-H3 needs text even with images.',
    '请写一段描述视频的提示词；即使附加了图片，MiniMax-H3 也需要文字。',
  ),
  h3_prompt_too_long: {
    en: (p) =>
      `The prompt is ${s(p, 'length')} characters, ${s(p, 'over')} over MiniMax-H3's ${s(p, 'max')}-character limit; shorten it.`,
    zh: (p) =>
      `提示词有 ${s(p, 'length')} 个字符，超出 MiniMax-H3 ${s(p, 'max')} 字符的上限 ${s(p, 'over')} 个，请缩短。`,
  },
  h3_camera: fixed(
    'Camera commands like [Pan left] steer Hailuo models only; describe the camera move in your own words for MiniMax-H3.',
    '[左移] 这样的镜头指令只对 Hailuo 模型有效；使用 MiniMax-H3 时请用文字描述镜头运动。',
  ),
  h3_frames_and_references: fixed(
    'First or last frames cannot be combined with reference images; send either frames or references.',
    '首帧或尾帧不能与参考图片同时使用，请只发送帧图片或参考图片之一。',
  ),
  h3_only_option: {
    en: (p) =>
      `The ${s(p, 'option')} option works with MiniMax-H3 models only; pick MiniMax-H3 or leave it empty.`,
    zh: (p) => `${s(p, 'option')} 选项只适用于 MiniMax-H3 模型，请选择 MiniMax-H3 或不填写该选项。`,
  },
  h3_media_not_yet: fixed(
    'Reference video and audio clips are not supported by this bot yet; send images only.',
    '本机器人暂不支持参考视频和音频片段，请只发送图片。',
  ),
  h3_upscale_not_possible: fixed(
    'Only a finished 768P MiniMax-H3 video can be upscaled to 2K.',
    '只有已完成的 768P MiniMax-H3 视频可以升级到 2K。',
  ),
  cancel_free: fixed(
    'MiniMax had not started the video, so nothing is charged.',
    'MiniMax 尚未开始生成该视频，因此不会收费。',
  ),
  cancel_charged: fixed(
    'MiniMax had already started the video and may still charge for it.',
    'MiniMax 已开始生成该视频，可能仍会收费。',
  ),
  sound_note: fixed('This video has sound.', '此视频有声音。'),
  enhanced_prompt: {
    en: (p) => `Enhanced prompt: ${s(p, 'prompt')}`,
    zh: (p) => `增强后的提示词：${s(p, 'prompt')}`,
  },
  cost_estimate: {
    en: (p) => `Estimated cost: ${s(p, 'amount')}`,
    zh: (p) => `预计费用：${s(p, 'amount')}`,
  },
  cost_actual: {
    en: (p) => `Cost: ${s(p, 'amount')}`,
    zh: (p) => `费用：${s(p, 'amount')}`,
  },
} satisfies Record<string, Entry>;
