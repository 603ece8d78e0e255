import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createFileDeliverer } from '../../src/core/file-deliverer.js';
import type { Job } from '../../src/core/jobs/job.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mvb-deliver-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const jobWith = (ref: Record<string, unknown>) =>
  ({ id: 'job1', origin: { platform: 'cli', userId: 'u', channelId: 'terminal', ref } }) as Job;

it('copies the video to the --out path kept in the job, creating its folder, and can repeat', async () => {
  await writeFile(join(dir, 'source.mp4'), 'mp4 bytes');
  const out = join(dir, 'nested', 'out.mp4');
  const deliverer = createFileDeliverer({ logger: pino({ level: 'silent' }) });
  const job = jobWith({ outPath: out });
  const source = { path: join(dir, 'source.mp4'), bytes: 9 };
  expect(await deliverer.deliver(job, source)).toEqual({ resultUrl: out });
  // After a restart during `uploading` the engine delivers again; the result is the same file.
  expect(await deliverer.deliver(job, source)).toEqual({ resultUrl: out });
  expect(await readFile(out, 'utf8')).toBe('mp4 bytes');
});

it('leaves the video where it is when no --out path was given', async () => {
  const deliverer = createFileDeliverer({ logger: pino({ level: 'silent' }) });
  const path = join(dir, 'job1.mp4');
  expect(await deliverer.deliver(jobWith({}), { path, bytes: 1 })).toEqual({ resultUrl: path });
});
