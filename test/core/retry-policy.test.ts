import { describe, expect, it } from 'vitest';
import { minimaxErrorFrom, minimaxTransportError } from '../../src/core/minimax/errors.js';
import { type RetryPlan, retrying, verdictOf } from '../../src/core/retry-policy.js';
import { FakeClock } from './engine/fake-clock.js';

const answer = (code: number, endpoint: 'create' | 'query' = 'create') =>
  minimaxErrorFrom({ endpoint, httpStatus: 200, baseResp: { status_code: code } });

describe('verdictOf', () => {
  it('retries a create only when MiniMax certainly made no task', () => {
    expect(verdictOf(answer(1002), 'create')).toBe('rate_limited');
    expect(verdictOf(answer(1004), 'create')).toBe('stop');
    expect(verdictOf(answer(1026), 'create')).toBe('stop');
    expect(verdictOf(answer(1000), 'create')).toBe('outcome_unknown');
    expect(verdictOf(new Error('boom'), 'create')).toBe('outcome_unknown');
    const refused = minimaxTransportError({
      endpoint: 'create',
      timedOut: false,
      beforeSend: true,
      cause: new Error('ECONNREFUSED'),
    });
    expect(verdictOf(refused, 'create')).toBe('retry');
  });

  it('stops polling on a rejected key but rides out server errors', () => {
    expect(verdictOf(answer(1004, 'query'), 'query')).toBe('stop');
    expect(verdictOf(answer(1008, 'query'), 'query')).toBe('stop');
    expect(verdictOf(answer(1024, 'query'), 'query')).toBe('retry');
    expect(verdictOf(answer(1002, 'query'), 'query')).toBe('rate_limited');
  });
});

describe('retrying', () => {
  const plan: RetryPlan = { maxAttempts: 3, backoff: { baseMs: 1_000, maxMs: 10_000 } };

  it('waits a jittered, growing backoff on the injected clock between tries', async () => {
    const clock = new FakeClock();
    const triedAt: number[] = [];
    const run = retrying({ plan, clock, random: () => 0.5 }, async (attempt) => {
      triedAt.push(clock.now());
      if (attempt < 3) throw new Error('flaky');
      return 'ok';
    });
    await clock.advance(10_000);
    await expect(run).resolves.toBe('ok');
    // 1 s and 2 s, each less 10 % (jitter 0.5 of the default 0.2 ratio).
    expect(triedAt.map((t) => t - triedAt[0]!)).toEqual([0, 900, 2_700]);
  });

  it('gives up after the plan’s tries and throws the last error', async () => {
    const clock = new FakeClock();
    let tries = 0;
    const run = retrying({ plan, clock, random: () => 0 }, async () => {
      tries += 1;
      throw new Error(`failure ${tries}`);
    });
    const settled = run.catch((err: Error) => err.message);
    await clock.advance(10_000);
    expect(await settled).toBe('failure 3');
    expect(tries).toBe(3);
  });

  it('does not retry what the judge calls permanent', async () => {
    const clock = new FakeClock();
    let tries = 0;
    const run = retrying({ plan, clock, random: () => 0 }, async () => {
      tries += 1;
      throw answer(1004);
    });
    await expect(run).rejects.toMatchObject({ code: 'minimax_auth' });
    expect(tries).toBe(1);
  });

  it('waits exactly what the judge says when the answer names a delay', async () => {
    const clock = new FakeClock();
    const triedAt: number[] = [];
    const run = retrying(
      { plan, clock, random: () => 0, judge: () => ({ retry: true, afterMs: 7_000 }) },
      async (attempt) => {
        triedAt.push(clock.now());
        if (attempt === 1) throw new Error('rate limited');
        return attempt;
      },
    );
    await clock.advance(10_000);
    await expect(run).resolves.toBe(2);
    expect(triedAt[1]! - triedAt[0]!).toBe(7_000);
  });
});
