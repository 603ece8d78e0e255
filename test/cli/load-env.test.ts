import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadEnv } from '../../src/cli/load-env.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'mvb-env-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

it('reads settings from a .env file in the working directory', async () => {
  await writeFile(join(cwd, '.env'), 'MVB_TEST_ONLY_SETTING=from-file\n');
  expect(loadEnv(cwd)['MVB_TEST_ONLY_SETTING']).toBe('from-file');
});

it('lets the real environment win over the .env file', async () => {
  await writeFile(join(cwd, '.env'), 'PATH=from-file\n');
  expect(loadEnv(cwd)['PATH']).toBe(process.env['PATH']);
});

it('works without a .env file', () => {
  expect(loadEnv(cwd)['MVB_TEST_ONLY_SETTING']).toBeUndefined();
});

it('does not copy the .env file into the process environment', async () => {
  await writeFile(join(cwd, '.env'), 'MVB_TEST_ONLY_SETTING=from-file\n');
  loadEnv(cwd);
  expect(process.env['MVB_TEST_ONLY_SETTING']).toBeUndefined();
});
