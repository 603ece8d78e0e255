import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../../src/config.js';
import { ROOT } from './run-cli.js';

const SETTINGS = Object.keys(configSchema.shape);
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const envExample = readFileSync(join(ROOT, '.env.example'), 'utf8');

describe('documentation', () => {
  it.each(SETTINGS)('the README settings table has a row for %s', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });

  it.each(SETTINGS)('.env.example mentions %s', (name) => {
    expect(envExample).toMatch(new RegExp(`^(# )?${name}=`, 'm'));
  });

  it('.env.example, copied to .env unchanged, is a valid configuration', () => {
    expect(() => loadConfig(parse(envExample))).not.toThrow();
  });

  it('the README shows the two quick-start commands', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });

  it('the README invite URL carries exactly the documented permissions', () => {
    // View Channel, Send Messages, Embed Links, Attach Files, Read Message History.
    const bits = [1n << 10n, 1n << 11n, 1n << 14n, 1n << 15n, 1n << 16n];
    const sum = bits.reduce((a, b) => a + b, 0n);
    expect(readme).toContain(`permissions=${sum}`);
  });
});
