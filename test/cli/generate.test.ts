import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it as base, describe, expect } from 'vitest';
import { runCli as runCliInProcess } from '../../src/cli/program.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { captureContext } from './capture.js';
import { messageLines, ROOT, runCli } from './run-cli.js';

const FIXTURES = join(ROOT, 'test/fixtures');
const API_KEY = 'test-simulator-key';

interface Bench {
  sim: Simulator;
  dir: string;
  generate(args: string[], env?: Record<string, string>): ReturnType<typeof runCli>;
}

/** Each test gets its own simulator and working directory, so tests can run concurrently. */
const test = base.extend<{ bench: Bench }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies first.
  bench: async ({}, use) => {
    const sim = await createSimulator({
      apiKey: API_KEY,
      timelineMs: { preparing: 20, queueing: 20, processing: 60 },
    });
    const dir = await mkdtemp(join(tmpdir(), 'mvb-generate-'));
    const generate = (args: string[], env: Record<string, string> = {}) =>
      runCli(['generate', ...args], {
        cwd: dir,
        env: {
          MINIMAX_BASE_URL: sim.url,
          MINIMAX_API_KEY: API_KEY,
          DATA_DIR: join(dir, 'data'),
          POLL_MIN_S: '0.05',
          POLL_MAX_S: '0.2',
          MINIMAX_RPM: '600',
          ...env,
        },
      });
    await use({ sim, dir, generate });
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  },
});

async function dataUrl(file: string, mime: string): Promise<string> {
  return `data:${mime};base64,${(await readFile(join(FIXTURES, file))).toString('base64')}`;
}

async function expectMp4(path: string): Promise<void> {
  const bytes = await readFile(path);
  expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
}

describe.concurrent('generate', () => {
  const it = test;
  it('makes a text-to-video MP4 with exactly the requested settings', async ({
    bench: { sim, dir, generate },
    expect,
  }) => {
    const out = join(dir, 'cat.mp4');
    const run = await generate([
      '--prompt',
      'a cat surfing',
      '--camera',
      'Pan left',
      '--duration',
      '10',
      '--resolution',
      '768P',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(sim.creates().map((r) => r.body)).toEqual([
      {
        model: 'MiniMax-Hailuo-2.3',
        prompt: 'a cat surfing [Pan left]',
        prompt_optimizer: true,
        duration: 10,
        resolution: '768P',
      },
    ]);
    expect(run.stdout.trim()).toBe(out);
    await expectMp4(out);
  });

  it('makes an image-to-video MP4 from a local PNG', async ({
    bench: { sim, generate },
    expect,
  }) => {
    const run = await generate([
      '--image',
      join(FIXTURES, 'frame.png'),
      '--prompt',
      'she turns and smiles',
      '--model',
      'MiniMax-Hailuo-2.3-Fast',
      '--no-prompt-optimizer',
      '--watermark',
    ]);
    expect(run.code).toBe(0);
    expect(sim.creates().map((r) => r.body)).toEqual([
      {
        model: 'MiniMax-Hailuo-2.3-Fast',
        prompt: 'she turns and smiles',
        prompt_optimizer: false,
        duration: 6,
        resolution: '768P',
        first_frame_image: await dataUrl('frame.png', 'image/png'),
        aigc_watermark: true,
      },
    ]);
    // Without --out the video stays in DATA_DIR/videos.
    const path = run.stdout.trim();
    expect(path).toMatch(/[/\\]data[/\\]videos[/\\][A-Za-z0-9_-]+\.mp4$/);
    await expectMp4(path);
  });

  it('makes a first-and-last-frame MP4 from a JPG and a WebP', async ({
    bench: { sim, dir, generate },
    expect,
  }) => {
    const out = join(dir, 'fl2v.mp4');
    const run = await generate([
      '--image',
      join(FIXTURES, 'frame.jpg'),
      '--last-frame',
      join(FIXTURES, 'last.webp'),
      '--resolution',
      '1080P',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(sim.creates().map((r) => r.body)).toEqual([
      {
        model: 'MiniMax-Hailuo-02',
        prompt_optimizer: true,
        duration: 6,
        resolution: '1080P',
        first_frame_image: await dataUrl('frame.jpg', 'image/jpeg'),
        last_frame_image: await dataUrl('last.webp', 'image/webp'),
      },
    ]);
    await expectMp4(out);
  });

  it('makes a subject-reference MP4 without duration or resolution', async ({
    bench: { sim, dir, generate },
    expect,
  }) => {
    const out = join(dir, 's2v.mp4');
    const run = await generate([
      '--subject',
      join(FIXTURES, 'frame.jpg'),
      '--prompt',
      'the same person walking on a beach',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(sim.creates().map((r) => r.body)).toEqual([
      {
        model: 'S2V-01',
        prompt: 'the same person walking on a beach',
        prompt_optimizer: true,
        subject_reference: [
          { type: 'character', image: [await dataUrl('frame.jpg', 'image/jpeg')] },
        ],
      },
    ]);
    await expectMp4(out);
  });

  it('exits with code 1 and one line when the generation fails', async ({
    bench: { sim, generate },
    expect,
  }) => {
    const run = await generate(['--prompt', '[[fail]] a cat that cannot be rendered']);
    expect(run.code).toBe(1);
    expect(sim.creates()).toHaveLength(1);
    const lines = messageLines(run.stderr).filter((l) => l.startsWith('Generation failed'));
    expect(lines).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  it('exits with code 2 when MINIMAX_API_KEY is not set', async ({
    bench: { sim, generate },
    expect,
  }) => {
    const run = await generate(['--prompt', 'a cat'], { MINIMAX_API_KEY: '' });
    expect(run.code).toBe(2);
    expect(messageLines(run.stderr)).toEqual([expect.stringContaining('MINIMAX_API_KEY')]);
    expect(sim.requests).toHaveLength(0);
  });

  it('refuses an empty prompt with exit code 2, one line and no create', async ({
    bench: { sim, generate },
    expect,
  }) => {
    const run = await generate(['--prompt', '']);
    expect(run.code).toBe(2);
    expect(messageLines(run.stderr)).toEqual([expect.stringContaining('prompt')]);
    expect(sim.creates()).toHaveLength(0);
  });
});

// The same refusals in-process (same runCli as the binary), which keeps this file fast.
describe.concurrent('generate refuses bad input before any create', () => {
  const it = test;
  it.for<[string, string[]]>([
    ['a prompt of 2001 characters', ['--prompt', 'a'.repeat(2001)]],
    ['1080P for 10 seconds', ['--prompt', 'a cat', '--resolution', '1080P', '--duration', '10']],
    [
      'Hailuo-2.3-Fast without an image',
      ['--prompt', 'a cat', '--model', 'MiniMax-Hailuo-2.3-Fast'],
    ],
    ['a file that is not an image', ['--image', join(FIXTURES, 'not-image.png')]],
    ['an image that is too small', ['--image', join(FIXTURES, 'tiny.png')]],
    ['an image that is too wide', ['--image', join(FIXTURES, 'panorama.png')]],
    ['an image file that does not exist', ['--image', join(FIXTURES, 'missing.png')]],
    ['an unknown camera command', ['--prompt', 'a cat', '--camera', 'Barrel roll']],
    [
      'a camera option on T2V-01',
      ['--prompt', 'a cat', '--model', 'T2V-01', '--camera', 'Pan left'],
    ],
    ['a camera command typed for T2V-01', ['--prompt', 'a cat [Pan left]', '--model', 'T2V-01']],
  ])(
    'refuses %s with exit code 2 and one line',
    async ([, args], { bench: { sim, dir }, expect }) => {
      const ctx = captureContext(
        { MINIMAX_BASE_URL: sim.url, MINIMAX_API_KEY: API_KEY, DATA_DIR: join(dir, 'data') },
        dir,
      );
      expect(await runCliInProcess(['generate', ...args], ctx)).toBe(2);
      expect(ctx.err().trimEnd().split('\n')).toHaveLength(1);
      expect(ctx.out()).toBe('');
      expect(sim.creates()).toHaveLength(0);
    },
  );
});
