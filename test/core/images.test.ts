import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { checkImage, MAX_IMAGE_BYTES, toDataUrl } from '../../src/core/images.js';
import { plainPng } from '../fixtures/make-image.js';

const fixture = (name: string) => ({
  bytes: readFileSync(new URL(`../fixtures/${name}`, import.meta.url)),
  name,
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const message = (err as InputError).userMessage;
    expect(message).not.toContain('\n');
    expect(message.endsWith('.')).toBe(true);
    return message;
  }
  throw new Error('expected an InputError');
}

describe('checkImage', () => {
  it('accepts a PNG, a JPG and a WebP and reports their size and type', () => {
    expect(checkImage(fixture('frame.png'), 'first-frame image')).toMatchObject({
      mime: 'image/png',
      width: 512,
      height: 512,
    });
    expect(checkImage(fixture('frame.jpg'), 'first-frame image')).toMatchObject({
      mime: 'image/jpeg',
      width: 640,
      height: 480,
    });
    expect(checkImage(fixture('last.webp'), 'last-frame image')).toMatchObject({
      mime: 'image/webp',
      width: 480,
      height: 640,
    });
  });

  it('detects the type from the content, not the file name', () => {
    const jpg = { ...fixture('frame.jpg'), name: 'photo.png' };
    expect(checkImage(jpg, 'first-frame image').mime).toBe('image/jpeg');
  });

  it('rejects a text file named .png in one sentence', () => {
    const message = messageOf(() => checkImage(fixture('not-image.png'), 'first-frame image'));
    expect(message).toContain('first-frame image (not-image.png) is not a JPG, PNG or WebP image');
  });

  it('rejects a 100×100 image saying the shorter side must be more than 300 px', () => {
    const message = messageOf(() => checkImage(fixture('tiny.png'), 'first-frame image'));
    expect(message).toBe(
      'The first-frame image (tiny.png) is 100×100 px; use an image whose shorter side is more than 300 px.',
    );
  });

  it('rejects a 6:1 panorama naming the allowed aspect ratios', () => {
    const message = messageOf(() => checkImage(fixture('panorama.png'), 'subject photo'));
    expect(message).toContain('1800×300 px (6:1)');
    expect(message).toContain('between 2:5 and 5:2');
  });

  it('rejects an image of 20 MB or more', () => {
    const png = fixture('frame.png');
    const big = {
      bytes: Buffer.concat([png.bytes, Buffer.alloc(MAX_IMAGE_BYTES)]),
      name: 'big.png',
    };
    const message = messageOf(() => checkImage(big, 'first-frame image'));
    expect(message).toContain('smaller than 20 MB');
  });

  it('rejects an image of exactly 5:2, as MiniMax asks for less than 5:2', async () => {
    const wide = { bytes: await plainPng(1000, 400), name: 'wide.png' };
    const message = messageOf(() => checkImage(wide, 'first-frame image'));
    expect(message).toContain('1000×400 px (2.5:1)');
    expect(checkImage({ bytes: await plainPng(999, 400) }, 'first-frame image').width).toBe(999);
  });

  it('reads 20 MB as 20,000,000 bytes, not 20 MiB', () => {
    const png = fixture('frame.png');
    const big = { bytes: Buffer.concat([png.bytes, Buffer.alloc(20_000_000 - png.bytes.length)]) };
    expect(MAX_IMAGE_BYTES).toBe(20_000_000);
    expect(messageOf(() => checkImage(big, 'first-frame image'))).toContain(
      'is 20 MB; use an image smaller than 20 MB',
    );
  });

  it('rejects an empty file', () => {
    messageOf(() => checkImage({ bytes: Buffer.alloc(0) }, 'first-frame image'));
  });

  it('builds a data URL with the detected MIME type', () => {
    const image = checkImage(fixture('last.webp'), 'last-frame image');
    const url = toDataUrl(image);
    expect(url.startsWith('data:image/webp;base64,')).toBe(true);
    expect(Buffer.from(url.split(',')[1]!, 'base64').equals(image.bytes)).toBe(true);
  });
});
