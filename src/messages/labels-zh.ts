import { refLabels } from '../core/images.js';
import type { ImageSlot, Mode } from '../core/request-types.js';

/** How an image slot is called in Chinese sentences (English: SLOT_LABELS in core/images.ts). */
export const SLOT_LABELS_ZH: Readonly<Record<ImageSlot, string>> = {
  first: '首帧图片',
  last: '尾帧图片',
  subject: '主体照片',
  ...refLabels('参考图片'),
};

/** The modes in Chinese sentences (English: MODE_LABELS in core/models.ts). */
export const MODE_LABELS_ZH: Readonly<Record<Mode, string>> = {
  t2v: '文生视频',
  i2v: '图生视频',
  fl2v: '首尾帧',
  s2v: '主体参考',
};
