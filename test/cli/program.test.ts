import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { captureContext } from './capture.js';

const COMMANDS = ['serve', 'generate', 'demo', 'simulate', 'register', 'slack-manifest', 'doctor'];

describe('command line', () => {
  it('exits with code 2 and one line naming MINIMAX_RPM when it is not a number', async () => {
    const ctx = captureContext({ MINIMAX_RPM: 'abc' });
    expect(await runCli(['serve'], ctx)).toBe(2);
    expect(ctx.err().trimEnd().split('\n')).toEqual([expect.stringMatching(/^MINIMAX_RPM /)]);
  });

  it('names the first bad setting when two settings disagree', async () => {
    const ctx = captureContext({ POLL_MIN_S: '9', POLL_MAX_S: '3' });
    expect(await runCli(['serve'], ctx)).toBe(2);
    expect(ctx.err().trimEnd().split('\n')).toEqual([expect.stringMatching(/^POLL_MIN_S /)]);
  });

  it('never prints the value of a secret setting', async () => {
    const ctx = captureContext({ MINIMAX_API_KEY: 'short' });
    expect(await runCli(['serve'], ctx)).toBe(2);
    expect(ctx.err()).toContain('MINIMAX_API_KEY');
    expect(ctx.err()).not.toContain('"short"');
  });

  it('stops serve at start with one line when MINIMAX_API_KEY is missing', async () => {
    const ctx = captureContext({ DATA_DIR: '/nonexistent/never-created' });
    expect(await runCli(['serve'], ctx)).toBe(2);
    expect(ctx.err()).toBe('MINIMAX_API_KEY is required to generate videos\n');
  });

  it('exits with code 2 on an unknown option', async () => {
    const ctx = captureContext();
    expect(await runCli(['generate', '--no-such-option'], ctx)).toBe(2);
    expect(ctx.err()).toContain("unknown option '--no-such-option'");
  });

  it('lists every command in the top-level help', async () => {
    const ctx = captureContext();
    expect(await runCli(['--help'], ctx)).toBe(0);
    for (const command of COMMANDS) expect(ctx.out()).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it.each(COMMANDS)('shows help with examples for %s', async (command) => {
    const ctx = captureContext();
    expect(await runCli([command, '--help'], ctx)).toBe(0);
    expect(ctx.out()).toContain(`Usage: minimax-video-bot ${command}`);
    expect(ctx.out()).toContain('Examples:');
  });
});
