import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, storeUrlOf } from '../../src/config.js';

const errorOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.MINIMAX_BASE_URL).toBe('https://api.minimax.io');
    expect(config.MINIMAX_RPM).toBe(5);
    expect(config.POLL_MIN_S).toBe(5);
    expect(config.POLL_MAX_S).toBe(30);
    expect(config.DISCORD_API_URL).toBe('https://discord.com/api');
    expect(config.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(config.DATA_DIR).toBe('./data');
    expect(storeUrlOf(config)).toBe('sqlite://./data/bot.sqlite');
  });

  it('names the variable and what to write in one line', () => {
    expect(errorOf({ MINIMAX_RPM: 'abc' })).toBe('MINIMAX_RPM must be a number (got "abc")');
    expect(errorOf({ PORT: '70000' })).toBe('PORT must be at most 65535 (got "70000")');
    expect(errorOf({ MINIMAX_BASE_URL: 'nope' })).toMatch(/^MINIMAX_BASE_URL must be a URL/);
    expect(errorOf({ LOG_LEVEL: 'loud' })).toMatch(/^LOG_LEVEL must be one of fatal, error/);
    expect(errorOf({ POLL_MIN_S: '40' })).toBe('POLL_MIN_S must not exceed POLL_MAX_S (got "40")');
    expect(errorOf({ STORE_URL: 'mysql://x' })).toMatch(/^STORE_URL must be sqlite:\/\//);
  });

  it('asks for the companion setting a token needs', () => {
    expect(errorOf({ DISCORD_TOKEN: 'discord-token-123' })).toMatch(
      /^DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set/,
    );
    expect(errorOf({ SLACK_BOT_TOKEN: 'xoxb-123456789' })).toMatch(
      /^SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is required/,
    );
  });

  it('never repeats a secret value in the error', () => {
    const message = errorOf({ SLACK_APP_TOKEN: 'not-an-app-token-SECRET' });
    expect(message).toContain('SLACK_APP_TOKEN');
    expect(message).not.toContain('SECRET');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PUBLIC_URL: '', MINIMAX_API_KEY: '' }).PUBLIC_URL).toBeUndefined();
  });
});
