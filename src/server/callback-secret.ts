import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { CALLBACK_PATH } from './callback-route.js';

/**
 * The per-bot secret in the callback URL (issue #12): MiniMax posts to the URL it was given, so
 * only MiniMax (and this bot) knows it. Derived from the API key so every instance of one bot
 * agrees without sharing state, and so it changes when the key does. Without a key (tests that
 * inject a client) a random secret serves this process.
 */
export function callbackSecretOf(config: Pick<Config, 'MINIMAX_API_KEY'>): string {
  const key = config.MINIMAX_API_KEY ?? randomBytes(32).toString('hex');
  return createHmac('sha256', key).update('minimax-video-bot callback v1').digest('base64url');
}

/** PUBLIC_URL + `/minimax/callback/<secret>`. */
export function callbackUrlOf(publicUrl: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${CALLBACK_PATH}/${secret}`;
}
