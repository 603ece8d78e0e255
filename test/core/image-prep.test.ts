import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { MAX_PREPARED_BYTES, prepareImage } from '../../src/core/image-prep.js';
import { checkImage, MAX_IMAGE_BYTES } from '../../src/core/images.js';
import { noisyJpeg, plainPng } from '../fixtures/make-image.js';

describe('prepareImage', () => {
  it('turns a 20 MB 6000×4000 photo into a 1620×1080 JPEG of at most a few MB', async () => {
    const photo = await noisyJpeg(6000, 4000);
    expect(photo.length).toBeGreaterThan(18_000_000);
    expect(photo.length).toBeLessThan(MAX_IMAGE_BYTES);
    const checked = checkImage({ bytes: photo, name: 'camera.jpg' }, 'first-frame image');
    const prepared = await prepareImage(checked, 'first');
    expect(prepared).toMatchObject({ mime: 'image/jpeg', width: 1620, height: 1080 });
    expect(prepared.bytes.length).toBeLessThanOrEqual(MAX_PREPARED_BYTES);
    // What MiniMax will read: a real JPEG of the announced size.
    expect(checkImage({ bytes: prepared.bytes }, 'first-frame image')).toMatchObject({
      width: 1620,
      height: 1080,
    });
  }, 30_000);

  it('sends a small image as it came', async () => {
    const png = await plainPng(800, 600);
    const checked = checkImage({ bytes: png }, 'first-frame image');
    expect(await prepareImage(checked, 'first')).toBe(checked);
  });

  it('refuses an image whose header is fine but whose pixels are missing, in one sentence', async () => {
    const photo = await noisyJpeg(640, 480, 80);
    const cut = photo.subarray(0, Math.floor(photo.length / 3));
    const checked = checkImage({ bytes: cut }, 'first-frame image');
    const err = await prepareImage(checked, 'first').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).userMessage).toBe(
      'The first-frame image could not be read as an image (the file may be damaged); attach it again or use another photo.',
    );
  });
});
