import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { collect, spawnCli } from './run-cli.js';

const API_KEY = 'test-simulator-key';

let sim: Simulator;
let dir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  // Tasks never finish on their own; the test ends them with sim.finish() once it is ready.
  sim = await createSimulator({
    apiKey: API_KEY,
    timelineMs: { preparing: 20, queueing: 20, processing: 600_000 },
  });
  dir = await mkdtemp(join(tmpdir(), 'mvb-restart-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcess; result: ReturnType<typeof collect> } {
  const child = spawnCli(args, {
    cwd: dir,
    env: {
      MINIMAX_BASE_URL: sim.url,
      MINIMAX_API_KEY: API_KEY,
      // The default store: SQLite inside DATA_DIR, shared by both runs.
      DATA_DIR: join(dir, 'data'),
      POLL_MIN_S: '0.05',
      POLL_MAX_S: '0.2',
      PORT: '0',
      LOG_LEVEL: 'info',
    },
  });
  children.push(child);
  return { child, result: collect(child) };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function isMp4(path: string): Promise<boolean> {
  try {
    return (await readFile(path)).subarray(4, 8).toString('latin1') === 'ftyp';
  } catch {
    return false;
  }
}

it('finishes a job whose process was killed mid-generation, with exactly one create (issue #4)', async () => {
  const out = join(dir, 'out.mp4');
  const first = start(['generate', '--prompt', 'a slow cat crossing a road', '--out', out]);
  // A query proves the task id was stored: the engine saves it before it polls.
  await waitFor('the first run to poll its task', () => sim.queries().length > 0);
  first.child.kill('SIGKILL');
  expect((await first.result).signal).toBe('SIGKILL');
  const taskId = sim.creates().length === 1 ? [...sim.tasks.keys()][0]! : '';
  expect(taskId).not.toBe('');
  const queriesBefore = sim.queries(taskId).length;

  const second = start(['serve']);
  await waitFor('serve to poll the same task', () => sim.queries(taskId).length > queriesBefore);
  sim.finish(taskId);
  await waitFor('the MP4 at the --out path', () => isMp4(out));
  second.child.kill('SIGTERM');
  const served = await second.result;

  expect(served.code).toBe(0);
  expect(sim.creates()).toHaveLength(1);
  const logs = served.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  expect(logs.map((l) => l.msg)).toEqual(
    expect.arrayContaining(['job resumed', 'video saved', 'bot stopped']),
  );
  const videos = await readdir(join(dir, 'data/videos'));
  expect(videos).toHaveLength(1);
  expect(await isMp4(join(dir, 'data/videos', videos[0]!))).toBe(true);
});

it('leaves the job stored and exits with code 130 when generate is interrupted', async () => {
  const first = start(['generate', '--prompt', 'a cat that will be interrupted']);
  await waitFor('the task to be polled', () => sim.queries().length > 0);
  first.child.kill('SIGINT');
  const run = await first.result;
  expect(run.code).toBe(130);
  expect(run.stderr).toMatch(/Interrupted; job \S+ is stored and resumes/);
  expect(sim.creates()).toHaveLength(1);
});
