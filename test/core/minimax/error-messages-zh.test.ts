import { describe, expect, it } from 'vitest';
import {
  MINIMAX_ERROR_CODES,
  malformedResponse,
  minimaxErrorFrom,
  minimaxTaskFailedError,
  minimaxTransportError,
} from '../../../src/core/minimax/errors.js';
import { type Lang, messageFor, renderMessage } from '../../../src/messages/index.js';

/** The catalog's sentence for base_resp `code` (src/messages/catalog.ts, key minimax_<code>). */
const sentence = (code: number, msg: string, lang: Lang) =>
  renderMessage({ key: `minimax_${code}`, params: { msg } }, lang);

const CJK = /[\u4e00-\u9fff]/;

/** One Chinese sentence: has Chinese characters, no line break, ends with 。 */
function expectChineseSentence(text: string | undefined): void {
  expect(text).toBeDefined();
  expect(text).toMatch(CJK);
  expect(text).not.toContain('\n');
  expect(text).toMatch(/[^。]。$/);
}

describe('MiniMax errors in Simplified Chinese', () => {
  it.each(Object.keys(MINIMAX_ERROR_CODES).map(Number))(
    'gives base_resp %i a Chinese sentence that reaches the error',
    (code) => {
      expectChineseSentence(sentence(code, 'detail', 'zh'));
      const err = minimaxErrorFrom({
        endpoint: 'create',
        httpStatus: 200,
        baseResp: { status_code: code, status_msg: 'detail' },
      });
      expect(err.userMessageZh).toBe(sentence(code, 'detail', 'zh'));
      expect(messageFor(err, 'zh-CN')).toBe(sentence(code, 'detail', 'zh'));
      expect(messageFor(err, 'en-US')).toBe(sentence(code, 'detail', 'en'));
    },
  );

  it('tells the codes apart in Chinese as much as in English', () => {
    const codes = Object.keys(MINIMAX_ERROR_CODES).map(Number);
    const en = new Set(codes.map((c) => sentence(c, 'x', 'en'))).size;
    const zh = new Set(codes.map((c) => sentence(c, 'x', 'zh'))).size;
    expect(zh).toBe(en);
  });

  it('quotes MiniMax status message in the Chinese invalid-parameters sentence', () => {
    expect(sentence(2013, '1080P only supports 6s', 'zh')).toContain('1080P only supports 6s');
  });

  it('keeps the region host names untouched in the Chinese key sentence', () => {
    const zh = sentence(1004, '', 'zh');
    expect(zh).toContain('MINIMAX_BASE_URL');
    expect(zh).toContain('api.minimax.io');
    expect(zh).toContain('api.minimaxi.com');
  });

  it.each([401, 404, 408, 413, 422, 429, 502])(
    'gives an HTTP %i answer without a known code a Chinese sentence',
    (httpStatus) => {
      const err = minimaxErrorFrom({ endpoint: 'query', httpStatus, body: 'gateway page' });
      expectChineseSentence(err.userMessageZh);
    },
  );

  it('gives an unknown base_resp code a Chinese sentence with the code', () => {
    const err = minimaxErrorFrom({
      endpoint: 'create',
      httpStatus: 200,
      baseResp: { status_code: 9999, status_msg: 'odd' },
    });
    expectChineseSentence(err.userMessageZh);
    expect(err.userMessageZh).toContain('9999');
  });

  it('gives transport, malformed and failed-task errors Chinese sentences', () => {
    const cause = new Error('socket');
    for (const timedOut of [true, false]) {
      const err = minimaxTransportError({ endpoint: 'create', timedOut, beforeSend: false, cause });
      expectChineseSentence(err.userMessageZh);
    }
    expectChineseSentence(malformedResponse({ endpoint: 'query', detail: 'x' }).userMessageZh);
    const failed = minimaxTaskFailedError({
      taskId: 't1',
      status: 'Fail',
      rawStatus: 'Fail',
      failureMessage: 'blocked',
    });
    expectChineseSentence(failed.userMessageZh);
    expect(failed.userMessageZh).toContain('blocked');
  });
});
