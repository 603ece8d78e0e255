import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileRefsOf, MEDIA, rolesOf } from '../fixtures/h3-media.js';
import { runCli } from './run-cli.js';
import { useSimulatorCli } from './sim-cli.js';

/** Issue #13 per surface: the CLI with frames, reference images, audio and video clips. */
describe('generate with MiniMax-H3 references', () => {
  const cli = useSimulatorCli('mvb-h3-refs-');
  const { env } = cli;
  const generate = (args: string[]) =>
    runCli(['generate', '--model', 'MiniMax-H3', ...args], { cwd: cli.dir, env: env() });

  it('text alone: a 9:16, 12 s video with its sound', async () => {
    const out = join(cli.dir, 't2v.mp4');
    const run = await generate([
      '--ratio',
      '9:16',
      '--duration',
      '12',
      '-p',
      'rain on a tin roof',
      '-o',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const body = cli.sim.creates().at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({ ratio: '9:16', duration: 12, model: 'MiniMax-H3' });
    expect(rolesOf(body)).toEqual(['text']);
    expect((await readFile(out)).includes(Buffer.from('mp4a'))).toBe(true);
  });

  it('first and last frame: no ratio is sent', async () => {
    const run = await generate([
      '--image',
      MEDIA.frame,
      '--last-frame',
      MEDIA.last,
      '-p',
      'a girl grows up',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const body = cli.sim.creates().at(-1)!.body as Record<string, unknown>;
    expect(rolesOf(body)).toEqual(['text', 'first_frame', 'last_frame']);
    expect(body.ratio).toBeUndefined();
  });

  it('three reference images and one voice: the voice is uploaded once and named by file id', async () => {
    const uploads = cli.sim.uploads().length;
    const run = await generate([
      ...['--reference-image', MEDIA.frame, '--reference-image', MEDIA.photo],
      ...['--reference-image', MEDIA.last, '--reference-audio', MEDIA.voice],
      ...['--ratio', '9:16', '-p', 'the woman of image 1 sings with the voice of audio 1'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const body = cli.sim.creates().at(-1)!.body;
    expect(rolesOf(body)).toEqual([
      'text',
      'reference_image',
      'reference_image',
      'reference_image',
      'reference_audio',
    ]);
    const added = cli.sim.uploads().slice(uploads);
    expect(added.map((u) => [u.purpose, u.filename])).toEqual([['prompt_audio', 'voice.mp3']]);
    expect(fileRefsOf(body)).toEqual([added[0]!.fileId]);
  });

  it('one reference video, priced with its seconds', async () => {
    const uploads = cli.sim.uploads().length;
    const run = await generate([
      '--reference-video',
      MEDIA.clip,
      '--duration',
      '5',
      '-p',
      'dance like this',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const body = cli.sim.creates().at(-1)!.body;
    expect(rolesOf(body)).toEqual(['text', 'reference_video']);
    const added = cli.sim.uploads().slice(uploads);
    expect(added.map((u) => u.purpose)).toEqual(['video_understanding']);
    expect(fileRefsOf(body)).toEqual([added[0]!.fileId]);
    // 5 s of 768P output plus 3 s of reference video, both at US$ 0.08 a second.
    expect(run.stderr).toContain('Estimated cost: US$ 0.64');
  });

  it('tries an upload again after a transient failure (a repeat upload is free and harmless)', async () => {
    const uploads = cli.sim.uploads().length;
    cli.sim.inject({ route: 'upload', kind: 'http', status: 503 });
    const run = await generate(['--reference-video', MEDIA.clipMov, '-p', 'like this']);
    expect(run.code, run.stderr).toBe(0);
    const tries = cli.sim.requests.filter((r) => r.route === 'upload');
    expect(tries.slice(-2).map((r) => r.route)).toEqual(['upload', 'upload']);
    expect(cli.sim.uploads().length - uploads).toBe(1);
    expect(fileRefsOf(cli.sim.creates().at(-1)!.body)).toEqual([cli.sim.uploads().at(-1)!.fileId]);
  });

  it('a bad clip is refused in one sentence before anything is uploaded or created', async () => {
    const creates = cli.sim.creates().length;
    const uploads = cli.sim.uploads().length;
    const run = await generate(['--reference-video', MEDIA.clip1s, '-p', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'Reference video 1 (clip-1s.mp4) lasts 1.0 s; clips must last 2 to 15 seconds, so trim it.',
    );
    expect(cli.sim.creates()).toHaveLength(creates);
    expect(cli.sim.uploads()).toHaveLength(uploads);
  });
});
