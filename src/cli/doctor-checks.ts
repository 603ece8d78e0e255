import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { openJobStore } from '../backend/open-job-store.js';
import { type Config, storeUrlOf } from '../config.js';
import { MinimaxAuthError, MinimaxError } from '../core/minimax/errors.js';
import { MinimaxHttpClient } from '../core/minimax/http-client.js';

export type CheckOutcome = 'ok' | 'fail' | 'skip';
export interface CheckResult {
  outcome: CheckOutcome;
  /** One plain sentence; on failure it says what to change. */
  line: string;
}

const REGION_HOSTS = ['https://api.minimax.io', 'https://api.minimaxi.com'];
const PROBE_TIMEOUT_MS = 8_000;

const ok = (line: string): CheckResult => ({ outcome: 'ok', line });
const fail = (line: string): CheckResult => ({ outcome: 'fail', line });
const skip = (line: string): CheckResult => ({ outcome: 'skip', line });

/**
 * Asks MiniMax about a task id that cannot exist: the cheapest authenticated call, and free.
 * Any business answer ("task not found") proves the key was accepted; 1004/2049 means the key
 * was refused, which is usually a key from the other region.
 */
export async function checkMinimax(config: Config, logger: Logger): Promise<CheckResult> {
  if (!config.MINIMAX_API_KEY)
    return fail('MINIMAX_API_KEY is not set; real generation needs it (the demo does not).');
  const base = config.MINIMAX_BASE_URL;
  const first = await probeKey(base, config.MINIMAX_API_KEY, config, logger);
  if (first.outcome !== 'rejected') return first.result;
  const other = REGION_HOSTS.find((h) => h !== base.replace(/\/+$/, ''));
  if (other && REGION_HOSTS.includes(base.replace(/\/+$/, ''))) {
    const second = await probeKey(other, config.MINIMAX_API_KEY, config, logger);
    if (second.outcome === 'accepted')
      return fail(
        `MiniMax rejected the key at ${base} but accepts it at ${other}; set MINIMAX_BASE_URL=${other}.`,
      );
  }
  return fail(
    `MiniMax rejected the API key at ${base} (${first.detail}); check the key, and that it belongs ` +
      `to this region (${REGION_HOSTS.join(' is global, ')} is mainland China).`,
  );
}

/**
 * MiniMax-H3 lives on the V2 API: the same made-up task id asked there. A 400 "invalid task_id"
 * proves the V2 API answers and takes the key; a 401 means the key is refused there (V2 wants a
 * pay-as-you-go key). Only a failure that matters is reported as one: V1 keeps working.
 */
export async function checkMinimaxV2(config: Config, logger: Logger): Promise<CheckResult> {
  if (!config.MINIMAX_API_KEY) return skip('MiniMax-H3 (V2 API) not checked: no MINIMAX_API_KEY.');
  const base = config.MINIMAX_BASE_URL;
  const client = new MinimaxHttpClient({
    baseUrl: base,
    apiKey: config.MINIMAX_API_KEY,
    timeoutMs: Math.min(config.MINIMAX_TIMEOUT_S * 1000, PROBE_TIMEOUT_MS),
    logger,
  });
  try {
    await client.queryTask(`doctor-${randomBytes(6).toString('hex')}`, undefined, 'v2');
    return ok(`MiniMax-H3 (V2 API) at ${base} is reachable and accepts the key.`);
  } catch (err) {
    if (err instanceof MinimaxAuthError)
      return fail(
        `MiniMax's V2 API at ${base} refused the key, so MiniMax-H3 will not work; MiniMax-H3 needs a pay-as-you-go key of this region.`,
      );
    if (err instanceof MinimaxError && err.httpStatus !== undefined && err.httpStatus < 500)
      return ok(`MiniMax-H3 (V2 API) at ${base} is reachable and accepts the key.`);
    const why = err instanceof Error ? err.message : String(err);
    return fail(`Cannot reach MiniMax's V2 API at ${base} (${why}); MiniMax-H3 will not work.`);
  }
}

type Probe =
  | { outcome: 'accepted'; result: CheckResult }
  | { outcome: 'rejected'; detail: string }
  | { outcome: 'unreachable'; result: CheckResult };

async function probeKey(
  baseUrl: string,
  apiKey: string,
  config: Config,
  logger: Logger,
): Promise<Probe> {
  const client = new MinimaxHttpClient({
    baseUrl,
    apiKey,
    timeoutMs: Math.min(config.MINIMAX_TIMEOUT_S * 1000, PROBE_TIMEOUT_MS),
    logger,
  });
  const probeId = `doctor-${randomBytes(6).toString('hex')}`;
  try {
    await client.queryTask(probeId);
    return {
      outcome: 'accepted',
      result: ok(`MiniMax at ${baseUrl} is reachable and accepts the key.`),
    };
  } catch (err) {
    if (err instanceof MinimaxAuthError) {
      const code = err.statusCode ?? err.httpStatus;
      return { outcome: 'rejected', detail: `code ${code ?? 'unknown'}` };
    }
    if (
      err instanceof MinimaxError &&
      (err.statusCode !== undefined || err.httpStatus !== undefined)
    ) {
      // An answer about the made-up task (e.g. 2013 "task not found") comes only after auth passed.
      const accepted = ok(`MiniMax at ${baseUrl} is reachable and accepts the key.`);
      return { outcome: 'accepted', result: accepted };
    }
    const why = err instanceof Error ? err.message : String(err);
    return {
      outcome: 'unreachable',
      result: fail(
        `Cannot reach MiniMax at ${baseUrl} (${why}); check MINIMAX_BASE_URL and the network.`,
      ),
    };
  }
}

/** The bot token works and the REST API answers (GET /users/@me). */
export async function checkDiscord(config: Config): Promise<CheckResult> {
  if (!config.DISCORD_TOKEN) return skip('Discord is off (DISCORD_TOKEN is not set).');
  const url = `${config.DISCORD_API_URL.replace(/\/+$/, '')}/v10/users/@me`;
  try {
    const res = await fetch(url, {
      headers: { authorization: `Bot ${config.DISCORD_TOKEN}` },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (res.status === 401)
      return fail('Discord rejected DISCORD_TOKEN; reset the bot token and copy it again.');
    if (!res.ok) return fail(`Discord answered HTTP ${res.status} at ${url}; try again later.`);
    const me = (await res.json()) as { username?: string; id?: string };
    return ok(`Discord accepts the token (bot ${me.username ?? me.id ?? 'unknown'}).`);
  } catch (err) {
    return fail(
      `Cannot reach Discord at ${url} (${reason(err)}); check DISCORD_API_URL and the network.`,
    );
  }
}

/** The bot token works (auth.test) and the chosen mode has what it needs. */
export async function checkSlack(config: Config): Promise<CheckResult> {
  if (!config.SLACK_BOT_TOKEN) return skip('Slack is off (SLACK_BOT_TOKEN is not set).');
  const url = `${config.SLACK_API_URL.replace(/\/*$/, '/')}auth.test`;
  const mode = config.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP mode';
  if (!config.SLACK_APP_TOKEN && !config.PUBLIC_URL)
    return fail(
      'Slack HTTP mode needs PUBLIC_URL so Slack can reach /slack/events; set it, or set SLACK_APP_TOKEN for Socket Mode.',
    );
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.SLACK_BOT_TOKEN}` },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const body = (await res.json().catch(() => ({}))) as {
      ok?: boolean;
      error?: string;
      team?: string;
    };
    if (!body.ok)
      return fail(
        `Slack rejected SLACK_BOT_TOKEN (${body.error ?? `HTTP ${res.status}`}); reinstall the app and copy the Bot User OAuth Token.`,
      );
    return ok(`Slack accepts the token (workspace ${body.team ?? 'unknown'}, ${mode}).`);
  } catch (err) {
    return fail(
      `Cannot reach Slack at ${url} (${reason(err)}); check SLACK_API_URL and the network.`,
    );
  }
}

/** Videos and the SQLite store live in DATA_DIR: it must be writable. */
export async function checkDataDir(config: Config): Promise<CheckResult> {
  const probe = join(config.DATA_DIR, `.doctor-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(join(config.DATA_DIR, 'videos'), { recursive: true });
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
    return ok(`DATA_DIR ${config.DATA_DIR} is writable.`);
  } catch (err) {
    return fail(
      `DATA_DIR ${config.DATA_DIR} is not writable (${reason(err)}); point DATA_DIR at a writable folder.`,
    );
  }
}

/** The job store opens (SQLite file or Redis). */
export async function checkStore(config: Config, _logger: Logger): Promise<CheckResult> {
  const url = storeUrlOf(config);
  const shown = url.replace(/\/\/[^@/]*@/, '//***@');
  let timer: NodeJS.Timeout | undefined;
  try {
    const opened = openJobStore(url);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer in 5 s')), 5_000);
      timer.unref();
    });
    const store = await Promise.race([opened, timeout]);
    await store.listActive();
    await store.close();
    return ok(`The job store ${shown} opens.`);
  } catch (err) {
    return fail(`The job store ${shown} does not open (${reason(err)}); check STORE_URL.`);
  } finally {
    clearTimeout(timer);
  }
}

function reason(err: unknown): string {
  const e = err as { cause?: { code?: string }; code?: string; message?: string };
  return e?.cause?.code ?? e?.code ?? e?.message ?? String(err);
}
