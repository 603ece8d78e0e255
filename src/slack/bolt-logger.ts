import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';
import { redactSecrets } from '../core/logger.js';

/**
 * Bolt's logger interface on top of pino. Bolt and the socket-mode client log strings that can
 * contain the WebSocket ticket URL or a token, so every line passes through `redactSecrets`.
 */
export function boltLogger(logger: Logger, secrets: readonly (string | undefined)[]): BoltLogger {
  const line = (msg: unknown[]) =>
    redactSecrets(
      msg
        .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : safeJson(m)))
        .join(' '),
      secrets,
    ).replace(/ticket=[^&\s"]+/g, 'ticket=***');
  return {
    debug: (...msg) => logger.debug(line(msg)),
    info: (...msg) => logger.info(line(msg)),
    warn: (...msg) => logger.warn(line(msg)),
    error: (...msg) => logger.error(line(msg)),
    // The level comes from LOG_LEVEL via pino; Bolt's own default (info) must not override it.
    setLevel: () => undefined,
    getLevel: () => {
      const level = logger.level;
      if (level === 'debug' || level === 'trace') return LogLevel.DEBUG;
      if (level === 'warn') return LogLevel.WARN;
      if (level === 'error' || level === 'fatal' || level === 'silent') return LogLevel.ERROR;
      return LogLevel.INFO;
    },
    setName: () => undefined,
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
