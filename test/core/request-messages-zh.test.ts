import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { validateRequest } from '../../src/core/request.js';
import type { RawVideoRequest } from '../../src/core/request-types.js';
import { messageFor } from '../../src/messages/index.js';

const fixture = (name: string) => ({
  bytes: readFileSync(new URL(`../fixtures/${name}`, import.meta.url)),
  name,
});

/** The Chinese sentence of the InputError thrown for `raw`, checked to be one sentence. */
function zhRejection(raw: RawVideoRequest): string {
  try {
    validateRequest(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const zh = (err as InputError).userMessageZh;
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(zh).not.toContain('\n');
    expect(zh).toMatch(/[^。]。$/);
    expect(messageFor(err as InputError, 'zh-CN')).toBe(zh);
    return zh!;
  }
  throw new Error('expected the request to be rejected');
}

describe('validateRequest: the bad inputs of issue #4 in Simplified Chinese', () => {
  it('rejects an empty prompt in text-to-video', () => {
    expect(zhRejection({ prompt: '   ' })).toContain('提示词');
  });

  it('rejects a 2,001-character prompt saying how many characters are over', () => {
    const zh = zhRejection({ prompt: 'a'.repeat(2001) });
    expect(zh).toContain('2,001');
    expect(zh).toContain('2,000');
    expect(zh).toContain('上限 1 个');
  });

  it('rejects 1080P with 10 seconds', () => {
    expect(zhRejection({ prompt: 'cat', resolution: '1080P', duration: 10 })).toBe(
      '1080P 视频只能是 6 秒，请选择 6 秒，或选择 768P 来生成 10 秒视频。',
    );
  });

  it('rejects Hailuo-2.3-Fast without an image, keeping the model name', () => {
    expect(zhRejection({ prompt: 'cat', model: 'MiniMax-Hailuo-2.3-Fast' })).toBe(
      'MiniMax-Hailuo-2.3-Fast 需要一张首帧图片，请附加一张或选择其他模型。',
    );
  });

  it('rejects a text file named .png, naming the file', () => {
    const zh = zhRejection({ images: { first: fixture('not-image.png') } });
    expect(zh).toContain('not-image.png');
    expect(zh).toContain('首帧图片');
    expect(zh).toContain('JPG、PNG 或 WebP');
  });

  it('rejects a 100×100 image', () => {
    expect(zhRejection({ images: { first: fixture('tiny.png') } })).toContain('100×100 像素');
  });

  it('rejects a 6:1 panorama', () => {
    expect(zhRejection({ images: { first: fixture('panorama.png') } })).toContain('2:5 到 5:2');
  });
});

describe('validateRequest: other refusals in Simplified Chinese', () => {
  const frame = fixture('frame.png');
  it.each<[string, RawVideoRequest]>([
    ['an unknown model', { prompt: 'cat', model: 'video-01' }],
    ['an unknown resolution', { prompt: 'cat', resolution: '4K' }],
    ['an unknown duration', { prompt: 'cat', duration: '7' }],
    ['an unknown camera command', { prompt: 'cat', camera: 'spin' }],
    ['a last frame without a first frame', { images: { last: frame } }],
    ['a subject photo with a frame', { images: { first: frame, subject: frame } }],
    ['a text-only model given an image', { model: 'T2V-01', images: { first: frame } }],
    ['512P text-to-video', { prompt: 'cat', model: 'MiniMax-Hailuo-02', resolution: '512P' }],
  ])('explains %s', (_, raw) => {
    zhRejection(raw);
  });
});
