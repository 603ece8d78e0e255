import { SLOT_LABELS } from '../core/images.js';
import type { ImageSlot } from '../core/request-types.js';
import type { Entry, MessageParams } from './catalog.js';
import { SLOT_LABELS_ZH } from './labels-zh.js';

const s = (p: MessageParams, name: string): string => String(p[name] ?? '');
const fixed = (en: string, zh: string): Entry => ({ en: () => en, zh: () => zh });

/** "The first-frame image (cat.png)" / "首帧图片（cat.png）". */
function who(p: MessageParams): [string, string] {
  const label = s(p, 'label');
  const slot = (Object.keys(SLOT_LABELS) as ImageSlot[]).find((k) => SLOT_LABELS[k] === label);
  const zh = slot ? SLOT_LABELS_ZH[slot] : label;
  const name = p['name'] === undefined ? undefined : s(p, 'name');
  return [`The ${label}${name ? ` (${name})` : ''}`, `${zh}${name ? `（${name}）` : ''}`];
}

/** Image checks (src/core/images.ts, image-prep.ts) and lost inputs, one sentence each. */
export const IMAGES_CATALOG = {
  image_empty: {
    en: (p) => `${who(p)[0]} is empty; attach the image again.`,
    zh: (p) => `${who(p)[1]}是空的，请重新附加图片。`,
  },
  image_format: {
    en: (p) =>
      `${who(p)[0]} is not a JPG, PNG or WebP image${p['found'] ? ` (it looks like ${s(p, 'found')})` : ''}; attach a photo in one of those formats.`,
    zh: (p) =>
      `${who(p)[1]}不是 JPG、PNG 或 WebP 图片${p['found'] ? `（看起来是 ${s(p, 'found')}）` : ''}，请附加这些格式之一的图片。`,
  },
  image_too_large: {
    en: (p) => `${who(p)[0]} is ${s(p, 'size')}; use an image smaller than 20 MB.`,
    zh: (p) => `${who(p)[1]}大小为 ${s(p, 'size')}，请使用小于 20 MB 的图片。`,
  },
  image_no_size: {
    en: (p) => `${who(p)[0]} has no readable size; attach it again.`,
    zh: (p) => `无法读取${who(p)[1]}的尺寸，请重新附加。`,
  },
  image_aspect: {
    en: (p) =>
      `${who(p)[0]} is ${s(p, 'width')}×${s(p, 'height')} px (${s(p, 'ratio')}); use an image strictly between 2:5 and 5:2, such as 16:9 or 9:16.`,
    zh: (p) =>
      `${who(p)[1]}为 ${s(p, 'width')}×${s(p, 'height')} 像素（${s(p, 'ratio')}），请使用宽高比严格介于 2:5 到 5:2 之间的图片，例如 16:9 或 9:16。`,
  },
  image_too_small: {
    en: (p) =>
      `${who(p)[0]} is ${s(p, 'width')}×${s(p, 'height')} px; use an image whose shorter side is more than ${s(p, 'min')} px.`,
    zh: (p) =>
      `${who(p)[1]}为 ${s(p, 'width')}×${s(p, 'height')} 像素，请使用短边大于 ${s(p, 'min')} 像素的图片。`,
  },
  image_aspect_v2: {
    en: (p) =>
      `${who(p)[0]} is ${s(p, 'width')}×${s(p, 'height')} px (${s(p, 'ratio')}); MiniMax-H3 takes shapes from 2:5 to 5:2, such as 16:9 or 9:16.`,
    zh: (p) =>
      `${who(p)[1]}为 ${s(p, 'width')}×${s(p, 'height')} 像素（${s(p, 'ratio')}），MiniMax-H3 只接受宽高比在 2:5 到 5:2 之间的图片，例如 16:9 或 9:16。`,
  },
  image_too_small_v2: {
    en: (p) =>
      `${who(p)[0]} is ${s(p, 'width')}×${s(p, 'height')} px; MiniMax-H3 needs both sides to be at least ${s(p, 'min')} px.`,
    zh: (p) =>
      `${who(p)[1]}为 ${s(p, 'width')}×${s(p, 'height')} 像素，MiniMax-H3 要求两边都至少 ${s(p, 'min')} 像素。`,
  },
  image_unreadable: {
    en: (p) =>
      `${who(p)[0]} could not be read as an image (the file may be damaged); attach it again or use another photo.`,
    zh: (p) => `无法读取${who(p)[1]}（文件可能已损坏），请重新附加或换一张照片。`,
  },
  images_expired: fixed(
    'The images of that video are no longer kept (after a day); please send them again.',
    '该视频的图片已不再保留（超过一天），请重新发送图片。',
  ),
} satisfies Record<string, Entry>;
