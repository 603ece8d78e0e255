import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { toCreateBody, validateRequest } from '../../src/core/request.js';
import type { RawVideoRequest } from '../../src/core/request-types.js';
import { describeRequest } from '../../src/messages/describe-request.js';

const fixture = (name: string) => ({
  bytes: readFileSync(new URL(`../fixtures/${name}`, import.meta.url)),
  name,
});
const frame = fixture('frame.png');
const last = fixture('last.webp');

/** The userMessage of the InputError thrown for `raw`, checked to be one sentence. */
function rejection(raw: RawVideoRequest): string {
  try {
    validateRequest(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const message = (err as InputError).userMessage;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/[^.]\.$/);
    return message;
  }
  throw new Error('expected the request to be rejected');
}

describe('validateRequest: the bad inputs of issue #4', () => {
  it('rejects an empty prompt in text-to-video', () => {
    expect(rejection({ prompt: '   ' })).toContain('Write a prompt');
  });

  it('rejects a 2,001-character prompt saying how many characters are over', () => {
    expect(rejection({ prompt: 'a'.repeat(2001) })).toContain('1 over the 2,000-character limit');
  });

  it('rejects 1080P with 10 seconds', () => {
    expect(rejection({ prompt: 'cat', resolution: '1080P', duration: 10 })).toContain(
      '1080P videos can only be 6 seconds long',
    );
  });

  it('rejects Hailuo-2.3-Fast without an image', () => {
    expect(rejection({ prompt: 'cat', model: 'MiniMax-Hailuo-2.3-Fast' })).toBe(
      'MiniMax-Hailuo-2.3-Fast needs a first-frame image; attach one or pick another model.',
    );
  });

  it('rejects a text file named .png', () => {
    expect(rejection({ images: { first: fixture('not-image.png') } })).toContain(
      'is not a JPG, PNG or WebP image',
    );
  });

  it('rejects a 100×100 image', () => {
    expect(rejection({ images: { first: fixture('tiny.png') } })).toContain('100×100 px');
  });

  it('rejects a 6:1 panorama', () => {
    expect(rejection({ images: { first: fixture('panorama.png') } })).toContain('2:5 and 5:2');
  });
});

describe('validateRequest: modes and models', () => {
  it('makes a text-to-video request with the defaults', () => {
    const { request } = validateRequest({ prompt: 'a cat surfing' });
    expect(request).toEqual({
      mode: 't2v',
      model: 'MiniMax-Hailuo-2.3',
      prompt: 'a cat surfing',
      duration: 6,
      resolution: '768P',
      promptOptimizer: true,
      watermark: false,
      imageSlots: [],
    });
  });

  it('infers image-to-video from a first frame and allows an empty prompt', () => {
    const { request, images } = validateRequest({ images: { first: frame } });
    expect(request.mode).toBe('i2v');
    expect(request.prompt).toBe('');
    expect(images.first?.mime).toBe('image/png');
  });

  it('infers first-and-last-frame from two images and picks Hailuo-02', () => {
    const { request } = validateRequest({ images: { first: frame, last } });
    expect(request.mode).toBe('fl2v');
    expect(request.model).toBe('MiniMax-Hailuo-02');
  });

  it('infers subject reference from a subject photo and picks S2V-01 without duration or resolution', () => {
    const { request } = validateRequest({ prompt: 'on a beach', images: { subject: frame } });
    expect(request.mode).toBe('s2v');
    expect(request.model).toBe('S2V-01');
    expect(request.duration).toBeUndefined();
    expect(request.resolution).toBeUndefined();
  });

  it('rejects a last frame without a first frame', () => {
    expect(rejection({ images: { last } })).toContain('needs a first-frame image too');
  });

  it('rejects a subject photo combined with a frame', () => {
    expect(rejection({ images: { first: frame, subject: frame } })).toContain('cannot be combined');
  });

  it('rejects a model that cannot do first-and-last-frame', () => {
    expect(rejection({ model: 'hailuo-2.3', images: { first: frame, last } })).toContain(
      'only work with MiniMax-Hailuo-02',
    );
  });

  it('rejects a text-only model given an image', () => {
    expect(rejection({ model: 'T2V-01', images: { first: frame } })).toContain(
      'only makes videos from text',
    );
  });

  it('rejects an unknown model rather than swapping it', () => {
    expect(rejection({ prompt: 'cat', model: 'video-01' })).toContain(
      'is not a MiniMax video model',
    );
  });

  it('accepts a model alias', () => {
    expect(validateRequest({ prompt: 'cat', model: 'hailuo 02' }).request.model).toBe(
      'MiniMax-Hailuo-02',
    );
  });
});

describe('validateRequest: options', () => {
  it('accepts durations written as strings', () => {
    expect(validateRequest({ prompt: 'cat', duration: '10s' }).request.duration).toBe(10);
    expect(validateRequest({ prompt: 'cat', duration: '6' }).request.duration).toBe(6);
  });

  it('rejects a duration other than 6 or 10', () => {
    expect(rejection({ prompt: 'cat', duration: '7' })).toContain('pick 6 or 10 seconds');
  });

  it('accepts a lower-case resolution', () => {
    expect(validateRequest({ prompt: 'cat', resolution: '1080p' }).request.resolution).toBe(
      '1080P',
    );
  });

  it('allows 512P only for Hailuo-02 image-to-video', () => {
    expect(rejection({ prompt: 'cat', resolution: '512P' })).toContain('512P');
    const ok = validateRequest({ model: '02', resolution: '512P', images: { first: frame } });
    expect(ok.request.resolution).toBe('512P');
  });

  it('rejects 10 seconds for the 01 series', () => {
    expect(rejection({ prompt: 'cat', model: 'T2V-01', duration: 10 })).toContain('6-second');
  });

  it('appends a camera command to the prompt in brackets', () => {
    expect(validateRequest({ prompt: 'a cat', camera: '左摇' }).request.prompt).toBe(
      'a cat [Pan left]',
    );
  });

  it('does not append a camera command the prompt already contains', () => {
    const { request } = validateRequest({ prompt: 'a cat [Pan left]', camera: 'pan left' });
    expect(request.prompt).toBe('a cat [Pan left]');
  });

  it('rejects an unknown camera command', () => {
    expect(rejection({ prompt: 'cat', camera: 'spin' })).toContain('is not a camera command');
  });

  it('passes the prompt through unchanged apart from outer whitespace', () => {
    const prompt = 'line one\n  "quoted"  [Zoom in,Pan left] {"model":"x"}';
    expect(validateRequest({ prompt: `  ${prompt}\n` }).request.prompt).toBe(prompt);
  });

  it('counts characters as code points', () => {
    expect(validateRequest({ prompt: '🐱'.repeat(2000) }).request.prompt).toHaveLength(4000);
  });

  it('counts the appended camera command towards the limit', () => {
    expect(rejection({ prompt: 'a'.repeat(1995), camera: 'Pan left' })).toContain(
      'with its camera command',
    );
  });
});

describe('toCreateBody', () => {
  it('sends text-to-video with duration, resolution and the prompt optimizer flag', () => {
    const body = toCreateBody(validateRequest({ prompt: 'cat', promptOptimizer: false }));
    expect(body).toEqual({
      model: 'MiniMax-Hailuo-2.3',
      prompt: 'cat',
      prompt_optimizer: false,
      duration: 6,
      resolution: '768P',
    });
  });

  it('sends the first frame as a data URL with the right MIME type', () => {
    const body = toCreateBody(validateRequest({ images: { first: fixture('frame.jpg') } }));
    expect(body.first_frame_image?.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(body.prompt).toBeUndefined();
  });

  it('sends both frames for first-and-last-frame', () => {
    const body = toCreateBody(validateRequest({ images: { first: frame, last } }));
    expect(body.last_frame_image?.startsWith('data:image/webp;base64,')).toBe(true);
    expect(body.first_frame_image?.startsWith('data:image/png;base64,')).toBe(true);
  });

  it('sends a subject as subject_reference and never as first_frame_image', () => {
    const body = toCreateBody(validateRequest({ prompt: 'x', images: { subject: frame } }));
    expect(body.first_frame_image).toBeUndefined();
    expect(body.subject_reference).toEqual([
      { type: 'character', image: [expect.stringMatching(/^data:image\/png;base64,/)] },
    ]);
    expect(body).not.toHaveProperty('duration');
    expect(body).not.toHaveProperty('resolution');
  });

  it('omits duration and resolution for the 01 series', () => {
    const body = toCreateBody(validateRequest({ prompt: 'x', model: 'T2V-01-Director' }));
    expect(body).not.toHaveProperty('duration');
    expect(body).not.toHaveProperty('resolution');
  });

  it('sends aigc_watermark only when asked and the callback URL when given', () => {
    const plain = toCreateBody(validateRequest({ prompt: 'x' }));
    expect(plain).not.toHaveProperty('aigc_watermark');
    expect(plain).not.toHaveProperty('callback_url');
    const marked = toCreateBody(validateRequest({ prompt: 'x', watermark: true }), {
      callbackUrl: 'https://bot.example/minimax/callback',
    });
    expect(marked.aigc_watermark).toBe(true);
    expect(marked.callback_url).toBe('https://bot.example/minimax/callback');
  });

  it('refuses to build an image request whose image is gone', () => {
    const validated = validateRequest({ images: { first: frame } });
    expect(() => toCreateBody({ ...validated, images: {} })).toThrow(
      expect.objectContaining({
        code: 'images_missing',
        userMessage: expect.stringContaining('no longer available'),
      }),
    );
  });
});

describe('describeRequest', () => {
  it('summarises the settings used', () => {
    const { request } = validateRequest({ prompt: 'cat', camera: 'Pan left' });
    expect(describeRequest(request, 'en-US')).toBe('MiniMax-Hailuo-2.3 · 768P · 6 s · [Pan left]');
  });

  it('shows the fixed 720P / 6 s of the 01 series and Chinese labels', () => {
    // T2V-01-Director: a 01-series model that takes camera commands (T2V-01 refuses them).
    const { request } = validateRequest({
      prompt: 'cat',
      model: 'T2V-01-Director',
      camera: '左摇',
    });
    expect(describeRequest(request, 'zh-CN')).toBe('T2V-01-Director · 720P · 6 秒 · [左摇]');
  });
});
