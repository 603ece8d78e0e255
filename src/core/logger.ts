import { type DestinationStream, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import { SECRET_SETTINGS } from '../config.js';
import { redactUrl } from './redact-url.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** pino level name (fatal … trace, or silent). */
  level: string;
  /**
   * 'pretty' for people, 'json' for machines. The caller decides from config (pretty by default
   * when stdout is a TTY and NODE_ENV is not production).
   */
  format: 'pretty' | 'json';
  /** Where lines go; default stdout. Pretty output to a stream is formatted in-process. */
  destination?: DestinationStream;
  /** Request-signature headers of the platforms in use; secrets like `authorization`. */
  secretHeaders?: readonly string[];
}

const SECRET_KEYS = [
  'apiKey',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'password',
  ...SECRET_SETTINGS,
  // MiniMax download links work for anyone holding them until they expire.
  'downloadUrl',
  'backupDownloadUrl',
  'download_url',
  'backup_download_url',
  // The callback URL carries the per-bot secret that makes a callback count as proof.
  'callback_url',
  'callbackUrl',
  'METRICS_TOKEN',
  'STORE_URL',
  'REDIS_URL',
];
const HEADER_KEYS = ['authorization', 'Authorization', 'cookie', 'Cookie'];
const URL_KEYS = ['url', 'href', 'location', 'url_private', 'url_private_download', 'proxy_url'];

/** Paths redacted in every log line (one level of nesting via `*.`), headers included. */
export function redactPaths(secretHeaders: readonly string[] = []): string[] {
  return [
    ...[...SECRET_KEYS, ...URL_KEYS].flatMap((k) => [k, `*.${k}`]),
    ...[...HEADER_KEYS, ...secretHeaders].flatMap((h) => [
      `headers["${h}"]`,
      `*.headers["${h}"]`,
      `*.*.headers["${h}"]`,
    ]),
  ];
}

const SIGNED_PARAM = /sig|signature|token|key|auth|credential|expires|^ex$|^is$|^hm$/i;

/**
 * Drops the query string of a URL when it carries a signature or token (S3/OSS presigned links,
 * Discord CDN `ex/is/hm`); other URLs are kept as they are useful in logs.
 */
export function stripSignedQuery(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.password || url.username) return redactUrl(value);
  if ([...url.searchParams.keys()].some((k) => SIGNED_PARAM.test(k))) {
    return `${url.origin}${url.pathname}?[redacted]`;
  }
  return value;
}

function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1] ?? '';
  if (URL_KEYS.includes(key)) return typeof value === 'string' ? stripSignedQuery(value) : value;
  return '[redacted]';
}

/** One pino logger for the process; components take `logger.child({ component })`. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: redactPaths(options.secretHeaders), censor },
    serializers: { err: pino.stdSerializers.err },
  };
  if (options.format === 'json') {
    return options.destination ? pino(base, options.destination) : pino(base);
  }
  if (options.destination) {
    return pino(base, pretty({ destination: options.destination, colorize: false, sync: true }));
  }
  return pino({
    ...base,
    transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } },
  });
}

/**
 * Removes known secret values, bearer tokens and signed query strings from free text (error
 * messages from libraries often echo the request). Secrets shorter than 6 characters are ignored
 * so that common words are not mangled.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) out = out.split(secret).join('***');
  }
  out = out.replace(/(Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{6,}/g, '$1 ***');
  return out.replace(/(https?|rediss?):\/\/[^\s"'<>]+/g, (url) => stripSignedQuery(url));
}
