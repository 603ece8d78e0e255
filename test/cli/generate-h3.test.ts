import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';
import { useSimulatorCli } from './sim-cli.js';

const MP4Box = createRequire(import.meta.url)('mp4box') as {
  createFile(): {
    onReady: (info: { tracks: Array<{ type: string; codec: string }> }) => void;
    appendBuffer(b: ArrayBuffer & { fileStart?: number }): void;
    flush(): void;
  };
};

/** Track types of an MP4, read by mp4box (no hand-written parsing). */
function tracksOf(bytes: Buffer): string[] {
  let tracks: string[] = [];
  const file = MP4Box.createFile();
  file.onReady = (info) => {
    tracks = info.tracks.map((t) => `${t.type}:${t.codec.split('.')[0]}`);
  };
  const ab = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.length,
  ) as ArrayBuffer & {
    fileStart?: number;
  };
  ab.fileStart = 0;
  file.appendBuffer(ab);
  file.flush();
  return tracks;
}

/** Issue #13 from the outside: the built CLI against the simulator, MiniMax-H3 on the V2 API. */
describe('generate with MiniMax-H3', () => {
  const cli = useSimulatorCli('mvb-h3-');
  const { env } = cli;

  it('makes a 9:16, 12 s video with a reference image, and the MP4 keeps its sound', async () => {
    const out = join(cli.dir, 'rain.mp4');
    const run = await runCli(
      [
        'generate',
        '--model',
        'MiniMax-H3',
        '--ratio',
        '9:16',
        '--duration',
        '12',
        '--reference-image',
        join(ROOT, 'test/fixtures/frame.png'),
        '--prompt',
        'the person of the reference sings in the rain',
        '--out',
        out,
      ],
      { cwd: cli.dir, env: env() },
    );
    expect(run.code, run.stderr).toBe(0);
    const body = cli.sim.creates().at(-1)?.body as {
      content: Array<{ type: string; role?: string }>;
      ratio: string;
      duration: number;
    };
    expect(body.duration).toBe(12);
    expect(body.ratio).toBe('9:16');
    expect(body.content.map((c) => c.role ?? c.type)).toEqual(['text', 'reference_image']);
    expect(tracksOf(await readFile(out))).toEqual(['video:avc1', 'audio:mp4a']);
    // 12 s at 768P, US$ 0.08 a second: the estimate first, then what MiniMax billed.
    expect(run.stderr).toContain('Estimated cost: US$ 0.96');
    expect(run.stderr).toMatch(/^Cost: US\$ 0\.96$/m);
  });

  it('takes DEFAULT_MODEL when no model is named, and refuses a bad length in one sentence', async () => {
    const before = cli.sim.creates().length;
    const bad = await runCli(['generate', '--duration', '20', '--prompt', 'x'], {
      cwd: cli.dir,
      env: { ...env(), DEFAULT_MODEL: 'MiniMax-H3' },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'MiniMax-H3 makes videos of 4 to 15 whole seconds; pick a length in that range.',
    );
    expect(cli.sim.creates()).toHaveLength(before);
  });
});
