import { describe, expect, it } from 'vitest';
import type { BotError } from '../../src/core/errors.js';
import { probeMedia } from '../../src/core/media-probe.js';
import { checkRequest } from '../../src/core/request.js';
import type { MediaInput, MediaRole, RawVideoRequest } from '../../src/core/request-types.js';
import { bytesOf, MEDIA } from '../fixtures/h3-media.js';

const file = (path: string, role?: MediaRole): MediaInput => ({
  bytes: bytesOf(path),
  name: path.split('/').at(-1)!,
  ...(role ? { role } : {}),
});
const h3 = (media: MediaInput[], extra: Partial<RawVideoRequest> = {}): RawVideoRequest => ({
  model: 'MiniMax-H3',
  prompt: 'the singer of image 1 sings with the voice of audio 1',
  media,
  ...extra,
});

async function refusal(raw: RawVideoRequest): Promise<string> {
  const err = await checkRequest(raw).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the request should have been refused').toBeDefined();
  return (err as BotError).userMessage;
}

describe('probeMedia (file-type, mp4box, music-metadata)', () => {
  it('reads length, pixel size, frame rate and codec of MP4 and MOV clips', async () => {
    const mp4 = await probeMedia(bytesOf(MEDIA.clip));
    expect(mp4).toMatchObject({ kind: 'video', format: 'mp4', width: 456, height: 256 });
    expect(mp4.seconds).toBeCloseTo(3, 1);
    expect(mp4.fps).toBeCloseTo(24, 1);
    expect(mp4.videoCodec).toMatch(/^avc1/);
    expect(await probeMedia(bytesOf(MEDIA.clipMov))).toMatchObject({
      kind: 'video',
      format: 'mov',
    });
  });

  it('reads the length of MP3 and WAV audio, and knows an image and an unknown file', async () => {
    expect((await probeMedia(bytesOf(MEDIA.voice))).seconds).toBeCloseTo(3, 0);
    expect(await probeMedia(bytesOf(MEDIA.voiceWav))).toMatchObject({
      kind: 'audio',
      format: 'wav',
    });
    expect(await probeMedia(bytesOf(MEDIA.frame))).toMatchObject({ kind: 'image', format: 'png' });
    expect(await probeMedia(Buffer.from('hello there, not a file format'))).toEqual({
      kind: 'other',
    });
  });
});

describe('the frames-or-references rule', () => {
  it('one image is the first frame, two are first and last, three are references', async () => {
    const one = await checkRequest(h3([file(MEDIA.frame)]));
    expect(one.request.imageSlots).toEqual(['first']);
    const two = await checkRequest(h3([file(MEDIA.frame), file(MEDIA.last)]));
    expect(two.request.imageSlots).toEqual(['first', 'last']);
    expect(two.request.ratio).toBeUndefined();
    const three = await checkRequest(h3([file(MEDIA.frame), file(MEDIA.photo), file(MEDIA.last)]));
    expect(three.request.imageSlots).toEqual(['subject', 'ref2', 'ref3']);
  });

  it('a clip makes every image a reference, and an explicit role wins', async () => {
    const withVoice = await checkRequest(h3([file(MEDIA.frame), file(MEDIA.voice)]));
    expect(withVoice.request.imageSlots).toEqual(['subject']);
    expect(withVoice.clips?.map((c) => c.kind)).toEqual(['audio']);
    const marked = await checkRequest(h3([file(MEDIA.frame, 'reference')]));
    expect(marked.request.imageSlots).toEqual(['subject']);
    const video = await checkRequest(h3([file(MEDIA.clip)], { ratio: '9:16' }));
    expect(video.clips?.[0]).toMatchObject({ kind: 'video', mime: 'video/mp4' });
    expect(video.request.ratio).toBe('9:16');
  });

  it('a V1 model takes chat files as today and refuses clips in one sentence', async () => {
    const v1 = await checkRequest({ prompt: 'x', media: [file(MEDIA.frame), file(MEDIA.last)] });
    expect(v1.request.imageSlots).toEqual(['first', 'last']);
    expect(
      await refusal({ prompt: 'x', model: 'MiniMax-Hailuo-02', media: [file(MEDIA.voice)] }),
    ).toBe(
      'The video and audio clips option works with MiniMax-H3 models only; pick MiniMax-H3 or leave it empty.',
    );
  });
});

/** Every row of research/minimax-h3.md §6 about media: one sentence each, nothing paid. */
describe('bad media, one sentence each', () => {
  const cases: [string, MediaInput[], string][] = [
    [
      'frames with references',
      [file(MEDIA.frame, 'first_frame'), file(MEDIA.photo, 'reference')],
      'First or last frames cannot be combined with references (reference images, clips or audio); send either frames or references.',
    ],
    [
      'two first frames',
      [file(MEDIA.frame, 'first_frame'), file(MEDIA.photo, 'first_frame')],
      'A video takes one first frame and one last frame at most; mark the other images as references or leave them out.',
    ],
    [
      'ten reference images',
      Array.from({ length: 10 }, () => file(MEDIA.frame, 'reference')),
      'MiniMax-H3 takes at most 9 reference images and got 10; leave some out.',
    ],
    [
      'four reference videos',
      Array.from({ length: 4 }, () => file(MEDIA.clip)),
      'MiniMax-H3 takes at most 3 reference videos and got 4; leave some out.',
    ],
    [
      'four reference audios',
      [file(MEDIA.frame), ...Array.from({ length: 4 }, () => file(MEDIA.voice))],
      'MiniMax-H3 takes at most 3 reference audio clips and got 4; leave some out.',
    ],
    [
      'thirteen references',
      [
        ...Array.from({ length: 9 }, () => file(MEDIA.frame, 'reference')),
        ...Array.from({ length: 3 }, () => file(MEDIA.clipMov)),
        file(MEDIA.voice),
      ],
      'MiniMax-H3 takes at most 12 reference files in all and got 13; leave some out.',
    ],
    [
      'audio alone',
      [file(MEDIA.voice)],
      'A reference audio clip needs a reference image or video beside it (whose voice it is); attach one too.',
    ],
    [
      'a clip as a frame',
      [file(MEDIA.clip, 'first_frame')],
      'The file clip.mp4 can only be a reference, not a first or last frame; attach it as a reference.',
    ],
    [
      'an Ogg file',
      [file(MEDIA.frame), file(MEDIA.ogg)],
      'Reference audio 1 (voice.ogg) is a OGG file; send an MP3 or WAV clip.',
    ],
    [
      'a file of no known format',
      [{ bytes: Buffer.from('plain words, not media'), name: 'notes.txt' }],
      'The file notes.txt is not a format MiniMax-H3 reads; send images (JPG, PNG, WebP), video clips (MP4, MOV) or audio (MP3, WAV).',
    ],
    [
      'a 1 s clip',
      [file(MEDIA.clip1s)],
      'Reference video 1 (clip-1s.mp4) lasts 1.0 s; clips must last 2 to 15 seconds, so trim it.',
    ],
    [
      'a 16 s voice',
      [file(MEDIA.frame), file(MEDIA.longVoice)],
      expect.stringMatching(
        /^Reference audio 1 \(voice-16s\.mp3\) lasts 16\.\d s; clips must last 2 to 15 seconds, so trim it\.$/,
      ) as unknown as string,
    ],
    [
      'a 320×180 clip',
      [file(MEDIA.lowClip)],
      'Reference video 1 (sample-sound.mp4) is 320×180 px; each side must be 256 to 5760 px, so resize it.',
    ],
  ];
  for (const [name, media, sentence] of cases)
    it(name, async () => {
      expect(await refusal(h3(media))).toEqual(sentence);
    });

  it('reference videos over 15 s together', async () => {
    const clip = file(MEDIA.clip);
    const long = { ...clip, probe: { ...(await probeMedia(clip.bytes)), seconds: 6 } };
    expect(await refusal(h3([long, long, long]))).toBe(
      "The reference videos last 18.0 s together, over MiniMax-H3's 15 s; send shorter or fewer clips.",
    );
  });

  it('a clip at 12 fps and one in VP9', async () => {
    const clip = file(MEDIA.clip);
    const probe = await probeMedia(clip.bytes);
    expect(await refusal(h3([{ ...clip, probe: { ...probe, fps: 12 } }]))).toBe(
      'Reference video 1 (clip.mp4) runs at 12.0 frames per second; MiniMax-H3 needs 24 to 60, so re-export it.',
    );
    expect(await refusal(h3([{ ...clip, probe: { ...probe, videoCodec: 'vp09.00.10.08' } }]))).toBe(
      'Reference video 1 (clip.mp4) is not encoded as H.264 or H.265; export it as an H.264 MP4.',
    );
  });

  it('a clip over 50 MB', async () => {
    const clip = file(MEDIA.clip);
    const probe = await probeMedia(clip.bytes);
    const big = { ...clip, bytes: Buffer.alloc(52_000_000), probe };
    expect(await refusal(h3([big]))).toBe(
      'Reference video 1 (clip.mp4) is 52 MB, over the 50 MB limit; send a smaller file.',
    );
  });
});
