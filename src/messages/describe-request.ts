import { cameraLabel } from '../core/camera.js';
import { isV2Model } from '../core/h3-models.js';
import { H3_DEFAULT_DURATION, H3_DEFAULT_RESOLUTION } from '../core/h3-request.js';
import {
  DEFAULT_DURATION,
  DEFAULT_RESOLUTION,
  isLegacyModel,
  LEGACY_RESOLUTION,
} from '../core/models.js';
import type { VideoRequest } from '../core/request-types.js';
import type { Variation } from '../core/variation.js';

/**
 * The settings line every surface shows under a video, in the reader's language (words at the
 * edge: the core only knows the request).
 */
/** "MiniMax-Hailuo-2.3 · 768P · 6 s · [Pan left]". */
export function describeRequest(request: VideoRequest, locale?: string): string {
  const zh = locale?.toLowerCase().startsWith('zh') ?? false;
  if (isV2Model(request.model)) {
    const seconds = request.duration ?? H3_DEFAULT_DURATION;
    const parts = [
      request.model,
      request.resolution ?? H3_DEFAULT_RESOLUTION,
      zh ? `${seconds} 秒` : `${seconds} s`,
    ];
    const references = request.mode === 's2v';
    parts.push(
      request.ratio ??
        (references
          ? zh
            ? '自适应比例'
            : 'adaptive ratio'
          : zh
            ? '比例随首帧'
            : 'ratio of the frame'),
    );
    parts.push(zh ? '有声' : 'with sound');
    if (references) parts.push(describeReferences(request, zh));
    if (request.enhance) parts.push(zh ? '提示词增强' : 'prompt enhanced');
    if (request.upscaleOf) parts.push(zh ? '升级到 2K' : 'upscaled to 2K');
    return parts.join(' · ');
  }
  const legacy = isLegacyModel(request.model);
  const resolution = request.resolution ?? (legacy ? LEGACY_RESOLUTION : DEFAULT_RESOLUTION);
  const seconds = request.duration ?? DEFAULT_DURATION;
  const parts = [request.model, resolution, zh ? `${seconds} 秒` : `${seconds} s`];
  if (request.camera) parts.push(`[${cameraLabel(request.camera, locale)}]`);
  if (!request.promptOptimizer) parts.push(zh ? '关闭提示词优化' : 'prompt optimizer off');
  if (request.watermark) parts.push(zh ? 'AI 水印' : 'AI watermark');
  if (request.variation) parts.push(describeVariation(request.variation, locale));
  return parts.join(' · ');
}

/** "references: 3 images, 1 voice" (MiniMax-H3). */
function describeReferences(request: VideoRequest, zh: boolean): string {
  const images = request.imageSlots.length;
  const videos = request.clips?.filter((c) => c.kind === 'video').length ?? 0;
  const audios = request.clips?.filter((c) => c.kind === 'audio').length ?? 0;
  if (zh) {
    const items = [
      images && `${images} 张图片`,
      videos && `${videos} 个视频`,
      audios && `${audios} 段音频`,
    ];
    return `参考：${items.filter(Boolean).join('、')}`;
  }
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const items = [
    images && n(images, 'image', 'images'),
    videos && n(videos, 'video clip', 'video clips'),
    audios && n(audios, 'audio clip', 'audio clips'),
  ];
  return `references: ${items.filter(Boolean).join(', ')}`;
}

/** "variation: [Push in] instead of [Pan left]", in the user's language. */
export function describeVariation(variation: Variation, locale?: string): string {
  const zh = locale?.toLowerCase().startsWith('zh') ?? false;
  if (variation.kind === 'camera') {
    const to = `[${cameraLabel(variation.to, locale)}]`;
    if (!variation.from) return zh ? `变体：加入镜头 ${to}` : `variation: camera ${to} added`;
    const from = `[${cameraLabel(variation.from, locale)}]`;
    return zh ? `变体：镜头 ${to} 代替 ${from}` : `variation: camera ${to} instead of ${from}`;
  }
  if (zh) return variation.to ? '变体：开启提示词优化' : '变体：关闭提示词优化';
  return variation.to ? 'variation: prompt optimizer on' : 'variation: prompt optimizer off';
}
