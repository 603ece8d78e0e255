import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { currentEnv, type Env } from '../config.js';

/**
 * The environment the CLI runs with: `.env` in the working directory if there is one (SPEC §2),
 * under the real environment. The file is parsed, not loaded into the process, so nothing else
 * sees its secrets by accident.
 */
export function loadEnv(cwd: string, overrides: Env = {}): Env {
  let fromFile: Env = {};
  try {
    fromFile = parse(readFileSync(resolve(cwd, '.env')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { ...currentEnv(fromFile), ...overrides };
}
