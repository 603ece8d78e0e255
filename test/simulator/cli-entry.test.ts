import { afterEach, describe, expect, it } from 'vitest';
import { runSimulatorCommand, type Simulator } from '../../src/simulator/index.js';
import { create } from './sim-http.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('runSimulatorCommand', () => {
  it('prints the base URL and key that the bot should use', async () => {
    const lines: string[] = [];
    sim = await runSimulatorCommand({ port: 0, apiKey: 'cli-key', print: (l) => lines.push(l) });
    expect(lines).toContain(`  MINIMAX_BASE_URL=${sim.url}`);
    expect(lines).toContain('  MINIMAX_API_KEY=cli-key');
    expect((await create(sim, { model: 'T2V-01', prompt: 'x' })).json.base_resp.status_code).toBe(
      0,
    );
  });

  it('prints one line per request only when verbose', async () => {
    const lines: string[] = [];
    sim = await runSimulatorCommand({
      port: 0,
      verbose: true,
      rpm: 1,
      print: (l) => lines.push(l),
    });
    await create(sim, { model: 'T2V-01', prompt: 'x' });
    const codes = [0, 1002].map((c) => (c === 0 ? 'code=0' : 'code=1002'));
    await create(sim, { model: 'T2V-01', prompt: 'x' });
    for (const code of codes)
      expect(lines.some((l) => l.includes('/v1/video_generation') && l.includes(code))).toBe(true);
    expect(lines.some((l) => l.includes('sim-key'))).toBe(true);
  });
});
