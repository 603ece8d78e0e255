import type { Entry, MessageParams } from './catalog.js';

const s = (p: MessageParams, name: string): string => String(p[name] ?? '');
const fixed = (en: string, zh: string): Entry => ({ en: () => en, zh: () => zh });
const named = (p: MessageParams) => (p.name ? ` (${s(p, 'name')})` : '');
const file = (p: MessageParams, fallback: string) =>
  p.name ? `The file ${s(p, 'name')}` : fallback;
const fileZh = (p: MessageParams, fallback: string) =>
  p.name ? `文件 ${s(p, 'name')} ` : fallback;
/** "Reference video 1 (clip.mp4)". */
const clip = (p: MessageParams) => `Reference ${s(p, 'kind')} ${s(p, 'index')}${named(p)}`;
const clipZh = (p: MessageParams) =>
  `参考${p.kind === 'video' ? '视频' : '音频'} ${s(p, 'index')}${named(p)}`;

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
    'First or last frames cannot be combined with references (reference images, clips or audio); send either frames or references.',
    '首帧或尾帧不能与参考素材（参考图片、视频或音频）同时使用，请只发送帧图片或参考素材之一。',
  ),
  h3_too_many_frames: fixed(
    'A video takes one first frame and one last frame at most; mark the other images as references or leave them out.',
    '一个视频最多只能有一张首帧和一张尾帧；请把其余图片设为参考图片，或不要发送。',
  ),
  h3_clip_as_frame: {
    en: (p) =>
      `${file(p, 'A video or audio clip')} can only be a reference, not a first or last frame; attach it as a reference.`,
    zh: (p) =>
      `${fileZh(p, '视频或音频片段')}只能作为参考素材，不能作为首帧或尾帧，请把它作为参考附上。`,
  },
  h3_media_format: {
    en: (p) =>
      `${file(p, 'One file')} is ${p.found ? `a ${s(p, 'found')} file` : 'not a format MiniMax-H3 reads'}; send images (JPG, PNG, WebP), video clips (MP4, MOV) or audio (MP3, WAV).`,
    zh: (p) =>
      `${fileZh(p, '有一个文件')}${p.found ? `是 ${s(p, 'found')} 文件` : '不是 MiniMax-H3 能读取的格式'}；请发送图片（JPG、PNG、WebP）、视频片段（MP4、MOV）或音频（MP3、WAV）。`,
  },
  h3_too_many_images: {
    en: (p) =>
      `MiniMax-H3 takes at most ${s(p, 'max')} reference images and got ${s(p, 'found')}; leave some out.`,
    zh: (p) =>
      `MiniMax-H3 最多接受 ${s(p, 'max')} 张参考图片，收到了 ${s(p, 'found')} 张，请去掉一些。`,
  },
  h3_too_many_videos: {
    en: (p) =>
      `MiniMax-H3 takes at most ${s(p, 'max')} reference videos and got ${s(p, 'found')}; leave some out.`,
    zh: (p) =>
      `MiniMax-H3 最多接受 ${s(p, 'max')} 个参考视频，收到了 ${s(p, 'found')} 个，请去掉一些。`,
  },
  h3_too_many_audios: {
    en: (p) =>
      `MiniMax-H3 takes at most ${s(p, 'max')} reference audio clips and got ${s(p, 'found')}; leave some out.`,
    zh: (p) =>
      `MiniMax-H3 最多接受 ${s(p, 'max')} 个参考音频，收到了 ${s(p, 'found')} 个，请去掉一些。`,
  },
  h3_too_many_references: {
    en: (p) =>
      `MiniMax-H3 takes at most 12 reference files in all and got ${s(p, 'found')}; leave some out.`,
    zh: (p) => `MiniMax-H3 总共最多接受 12 个参考文件，收到了 ${s(p, 'found')} 个，请去掉一些。`,
  },
  h3_audio_alone: fixed(
    'A reference audio clip needs a reference image or video beside it (whose voice it is); attach one too.',
    '参考音频需要同时附上参考图片或参考视频（声音属于谁），请一并附上。',
  ),
  h3_video_total: {
    en: (p) =>
      `The reference videos last ${s(p, 'seconds')} s together, over MiniMax-H3's ${s(p, 'max')} s; send shorter or fewer clips.`,
    zh: (p) =>
      `参考视频总时长 ${s(p, 'seconds')} 秒，超过 MiniMax-H3 的 ${s(p, 'max')} 秒上限，请发送更短或更少的片段。`,
  },
  h3_audio_total: {
    en: (p) =>
      `The reference audio clips last ${s(p, 'seconds')} s together, over MiniMax-H3's ${s(p, 'max')} s; send shorter or fewer clips.`,
    zh: (p) =>
      `参考音频总时长 ${s(p, 'seconds')} 秒，超过 MiniMax-H3 的 ${s(p, 'max')} 秒上限，请发送更短或更少的片段。`,
  },
  h3_video_format: {
    en: (p) =>
      `${clip(p)} is ${p.found ? `a ${s(p, 'found')} file` : 'not a readable video'}; send an MP4 or MOV clip.`,
    zh: (p) =>
      `${clipZh(p)}${p.found ? `是 ${s(p, 'found')} 文件` : '无法读取'}，请发送 MP4 或 MOV 视频。`,
  },
  h3_audio_format: {
    en: (p) =>
      `${clip(p)} is ${p.found ? `a ${s(p, 'found')} file` : 'not readable audio'}; send an MP3 or WAV clip.`,
    zh: (p) =>
      `${clipZh(p)}${p.found ? `是 ${s(p, 'found')} 文件` : '无法读取'}，请发送 MP3 或 WAV 音频。`,
  },
  h3_clip_too_large: {
    en: (p) => `${clip(p)} is ${s(p, 'size')}, over the ${s(p, 'max')} limit; send a smaller file.`,
    zh: (p) => `${clipZh(p)}大小为 ${s(p, 'size')}，超过 ${s(p, 'max')} 的上限，请发送更小的文件。`,
  },
  h3_video_codec: {
    en: (p) => `${clip(p)} is not encoded as H.264 or H.265; export it as an H.264 MP4.`,
    zh: (p) => `${clipZh(p)}不是 H.264 或 H.265 编码，请导出为 H.264 MP4。`,
  },
  h3_clip_length: {
    en: (p) =>
      `${clip(p)} lasts ${s(p, 'seconds')} s; clips must last ${s(p, 'min')} to ${s(p, 'max')} seconds, so trim it.`,
    zh: (p) =>
      `${clipZh(p)}时长 ${s(p, 'seconds')} 秒；片段须为 ${s(p, 'min')} 到 ${s(p, 'max')} 秒，请剪辑。`,
  },
  h3_video_size: {
    en: (p) =>
      `${clip(p)} is ${s(p, 'width')}×${s(p, 'height')} px; each side must be ${s(p, 'min')} to ${s(p, 'max')} px, so resize it.`,
    zh: (p) =>
      `${clipZh(p)}为 ${s(p, 'width')}×${s(p, 'height')} 像素；每边须为 ${s(p, 'min')} 到 ${s(p, 'max')} 像素，请调整尺寸。`,
  },
  h3_video_aspect: {
    en: (p) =>
      `${clip(p)} is ${s(p, 'width')}×${s(p, 'height')} px, wider or taller than 5:2; crop it closer to 16:9 or 9:16.`,
    zh: (p) =>
      `${clipZh(p)}为 ${s(p, 'width')}×${s(p, 'height')} 像素，宽高比超过 5:2，请裁剪到接近 16:9 或 9:16。`,
  },
  h3_video_fps: {
    en: (p) =>
      `${clip(p)} runs at ${s(p, 'fps')} frames per second; MiniMax-H3 needs 24 to 60, so re-export it.`,
    zh: (p) =>
      `${clipZh(p)}帧率为每秒 ${s(p, 'fps')} 帧；MiniMax-H3 需要 24 到 60 帧，请重新导出。`,
  },
  h3_only_option: {
    en: (p) =>
      `The ${s(p, 'option')} option works with MiniMax-H3 models only; pick MiniMax-H3 or leave it empty.`,
    zh: (p) => `${s(p, 'option')} 选项只适用于 MiniMax-H3 模型，请选择 MiniMax-H3 或不填写该选项。`,
  },
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
