import { resolve } from 'node:path';
import { ConfigError } from '../config.js';

/** Where the state lives, as STORE_URL names it. */
export type StoreLocation =
  | { kind: 'memory' }
  | { kind: 'sqlite'; file: string }
  | { kind: 'redis'; url: string };

/**
 * The only reading of STORE_URL's scheme in the bot: `memory://` (tests), `sqlite://<path>`
 * (relative to the working directory) or `redis://…` / `rediss://…`.
 */
export function storeLocationOf(url: string): StoreLocation {
  const scheme = url.slice(0, Math.max(0, url.indexOf(':')));
  if (scheme === 'memory') return { kind: 'memory' };
  if (scheme === 'sqlite')
    return { kind: 'sqlite', file: resolve(url.replace(/^sqlite:\/\//, '')) };
  if (scheme === 'redis' || scheme === 'rediss') return { kind: 'redis', url };
  throw new ConfigError(
    `Unsupported STORE_URL scheme "${scheme}": use sqlite://, redis:// or memory://`,
  );
}
