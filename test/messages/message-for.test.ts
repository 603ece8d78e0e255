import { describe, expect, it } from 'vitest';
import { failureOf, timeoutFailure, unknownOutcome } from '../../src/core/engine/failures.js';
import { asBotError, BotError, InputError, PolicyError } from '../../src/core/errors.js';
import { MinimaxTimeoutError } from '../../src/core/minimax/errors.js';
import { messageFor } from '../../src/messages/index.js';

const both = { userMessage: 'Pick 6 seconds.', userMessageZh: '请选择 6 秒。' };

describe('messageFor', () => {
  it('gives the Chinese sentence to zh, zh-CN and zh-TW users', () => {
    expect(messageFor(both, 'zh')).toBe('请选择 6 秒。');
    expect(messageFor(both, 'zh-CN')).toBe('请选择 6 秒。');
    expect(messageFor(both, 'ZH-tw')).toBe('请选择 6 秒。');
  });

  it('gives the English sentence to other or unknown locales', () => {
    expect(messageFor(both, 'en')).toBe('Pick 6 seconds.');
    expect(messageFor(both, 'en-US')).toBe('Pick 6 seconds.');
    expect(messageFor(both, 'fr')).toBe('Pick 6 seconds.');
    expect(messageFor(both)).toBe('Pick 6 seconds.');
  });

  it('falls back to English for a zh user when there is no Chinese sentence', () => {
    expect(messageFor({ userMessage: 'Try again.' }, 'zh-CN')).toBe('Try again.');
    expect(messageFor({ userMessage: 'Try again.', userMessageZh: '' }, 'zh')).toBe('Try again.');
  });
});

describe('errors carry their Chinese sentence', () => {
  it('keeps the Chinese sentence of an InputError and a PolicyError', () => {
    const input = new InputError('Pick 6 seconds.', 'bad_duration', '请选择 6 秒。');
    expect(input.code).toBe('bad_duration');
    expect(messageFor(input, 'zh')).toBe('请选择 6 秒。');
    const policy = new PolicyError('user_daily_limit', 'No more today.', 42, '今天不能再生成了。');
    expect(policy.retryAt).toBe(42);
    expect(messageFor(policy, 'zh')).toBe('今天不能再生成了。');
  });

  it('wraps an unexpected throwable with a Chinese line that keeps the job id', () => {
    const err = asBotError(new Error('boom'), 'job-123');
    expect(messageFor(err, 'zh')).toContain('job-123');
    expect(messageFor(err, 'zh')).toMatch(/。$/);
  });

  it('copies the Chinese sentence into the failure stored on a job', () => {
    const err = new BotError({ code: 'x', userMessage: 'Broke.', userMessageZh: '坏了。' });
    expect(failureOf(err)).toEqual({ code: 'x', userMessage: 'Broke.', userMessageZh: '坏了。' });
    expect(failureOf(new BotError({ code: 'y', userMessage: 'Broke.' }))).toEqual({
      code: 'y',
      userMessage: 'Broke.',
    });
  });

  it('writes the engine failures in Chinese with the same numbers', () => {
    expect(timeoutFailure(600).userMessageZh).toBe(
      'MiniMax 未能在 10 分钟内完成视频，请稍后再试。',
    );
    const timedOut = new MinimaxTimeoutError({
      code: 'minimax_timeout',
      userMessage: 'late',
      definitelyNotCreated: false,
    });
    expect(unknownOutcome(timedOut).userMessageZh).toMatch(
      /^MiniMax 没有及时回应，.*重复扣费.*。$/,
    );
  });
});
