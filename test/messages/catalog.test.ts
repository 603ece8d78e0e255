import { describe, expect, it } from 'vitest';
import { BotError } from '../../src/core/errors.js';
import { CATALOG, formatDuration, messageFor, renderMessage } from '../../src/messages/index.js';

const CJK = /[\u4e00-\u9fff]/;
const SAMPLE = { jobId: 'vJOB', msg: 'detail', status: 502, code: 9999, minutes: 10, detail: 'X' };

describe('message catalog', () => {
  it.each(Object.keys(CATALOG))('has an English and a Chinese text for %s', (key) => {
    const en = renderMessage({ key, params: SAMPLE }, 'en');
    const zh = renderMessage({ key, params: SAMPLE }, 'zh');
    expect(en?.trim()).toBeTruthy();
    expect(en).not.toMatch(CJK);
    expect(zh).toMatch(CJK);
    expect(zh).not.toBe(en);
  });

  it('renders a core error in the reader’s language from its code and parameters', () => {
    const err = new BotError({ code: 'job_timeout', params: { minutes: 10 } });
    expect(err.text).toEqual({ key: 'job_timeout', params: { minutes: 10 } });
    expect(messageFor(err, 'en-US')).toBe(
      'MiniMax did not finish the video within 10 minutes; please try again later.',
    );
    expect(messageFor(err, 'zh-CN')).toBe('MiniMax 未能在 10 分钟内完成视频，请稍后再试。');
  });

  it('falls back to the texts a job stored before the catalog existed', () => {
    const old = { userMessage: 'Old words.', userMessageZh: '旧的话。' };
    expect(messageFor(old, 'zh')).toBe('旧的话。');
    expect(messageFor(old, 'en')).toBe('Old words.');
  });

  it('formats every duration with one formatter: a clock face, or a wait in the reader’s words', () => {
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(5 * 3_600_000 + 11 * 60_000 + 1, 'wait', 'en')).toBe('5 h 12 min');
    expect(formatDuration(12 * 60_000, 'wait', 'zh')).toBe('12 分钟');
    expect(formatDuration(2 * 3_600_000, 'wait', 'zh')).toBe('2 小时');
  });
});
