import { pino } from 'pino';
import {
  type MinimaxCallInfo,
  MinimaxHttpClient,
  type MinimaxHttpClientOptions,
} from '../../../src/core/minimax/http-client.js';
import type { Simulator } from '../../../src/simulator/index.js';

/** A real client pointed at a simulator, with its log lines and call reports captured. */
export function clientFor(sim: Simulator, overrides: Partial<MinimaxHttpClientOptions> = {}) {
  const lines: string[] = [];
  const calls: MinimaxCallInfo[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const client = new MinimaxHttpClient({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    timeoutMs: 2_000,
    logger,
    onCall: (info) => calls.push(info),
    ...overrides,
  });
  return { client, lines, calls };
}

/** The rejection of a promise, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
