import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { redactSecrets } from '../../src/core/logger.js';
import { callbackSecretOf, callbackUrlOf } from '../../src/server/callback-secret.js';

/** Issue #12: no URL the bot prints carries a password or its callback secret. */
describe('secrets in printed URLs', () => {
  it.each([
    'redis//:hunter2pass@cache.internal:6379',
    'postgres://user:hunter2pass@db.internal/bot',
  ])('names a malformed STORE_URL without its password (%s)', (value) => {
    let message = '';
    try {
      loadConfig({ STORE_URL: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^STORE_URL must be sqlite:\/\/, redis:\/\/ or memory:\/\//);
    expect(message).toContain('***@');
    expect(message).not.toContain('hunter2pass');
  });

  it('strips credentials from URLs inside free text such as library errors', () => {
    const text = redactSecrets('connect ECONNREFUSED redis://bot:hunter2pass@10.0.0.5:6379', []);
    expect(text).not.toContain('hunter2pass');
    expect(text).toContain('10.0.0.5:6379');
  });

  it('derives an unguessable callback secret from the API key, the same on every instance', () => {
    const a = callbackSecretOf({ MINIMAX_API_KEY: 'key-aaaaaaaaaaaa' });
    expect(a).toBe(callbackSecretOf({ MINIMAX_API_KEY: 'key-aaaaaaaaaaaa' }));
    expect(a).not.toBe(callbackSecretOf({ MINIMAX_API_KEY: 'key-bbbbbbbbbbbb' }));
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toContain('key-aaaa');
    expect(callbackUrlOf('https://bot.example/', a)).toBe(
      `https://bot.example/minimax/callback/${a}`,
    );
  });
});
