import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJobStore } from '../../../src/backend/open-job-store.js';
import { FileImageKeeper, StoreImageKeeper } from '../../../src/core/jobs/image-keeper.js';
import type { JobStore } from '../../../src/core/jobs/job-store.js';
import type { CheckedImage } from '../../../src/core/request-types.js';

const image = (bytes: number, fill = 1): CheckedImage => ({
  bytes: Buffer.alloc(bytes, fill),
  mime: 'image/png',
  width: 640,
  height: 480,
});

describe('FileImageKeeper', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'image-keeper-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps each image once as a file under DATA_DIR/images and gives it back whole', async () => {
    const keeper = new FileImageKeeper(dir);
    await keeper.save('v1', {
      first: image(1000, 7),
      subject: { ...image(10), mime: 'image/webp' },
    });
    await keeper.created('v1');
    expect((await readdir(join(dir, 'images', 'v1'))).sort()).toEqual([
      'first.png.640x480',
      'subject.webp.640x480',
    ]);
    const back = await keeper.load('v1');
    expect(back.first).toEqual(image(1000, 7));
    expect(back.subject?.mime).toBe('image/webp');
    await keeper.delete('v1');
    expect(await keeper.load('v1')).toEqual({});
    expect(await readdir(join(dir, 'images'))).toEqual([]);
  });
});

describe('StoreImageKeeper', () => {
  let store: JobStore;
  beforeEach(async () => {
    store = await openJobStore('memory://');
  });
  afterEach(() => store.close());

  it('holds images for the create, then keeps only jobs under the cap for remakes', async () => {
    const keeper = new StoreImageKeeper(store, { maxKeptBytes: 5_000 });
    await keeper.save('small', { first: image(2_000) });
    await keeper.save('big', { first: image(4_000), last: image(4_000) });
    expect(Object.keys(await keeper.load('big'))).toEqual(['first', 'last']);
    await keeper.created('small');
    await keeper.created('big');
    expect(Object.keys(await keeper.load('small'))).toEqual(['first']);
    expect(await keeper.load('big')).toEqual({});
  });
});
