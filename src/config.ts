import { z } from 'zod';
import { ConfigError } from './core/errors.js';
import { V2_MODELS } from './core/h3-models.js';
import { MODELS, resolveModelName } from './core/models.js';
import { redactUrl } from './core/redact-url.js';

export { ConfigError };

/** Settings whose values are secrets: never logged (src/core/logger.ts redacts them). */
export const SECRET_SETTINGS: readonly string[] = [
  'MINIMAX_API_KEY',
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
];

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
const int = (dflt: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(dflt);
const num = (dflt: number, min: number, max: number) =>
  z.coerce.number().min(min).max(max).default(dflt);
const url = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'must start with http:// or https://');
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Every setting of SPEC §2 (plus a few documented extras). Units are in the names. */
export const configSchema = z
  .object({
    MINIMAX_API_KEY: optional(z.string().min(8, 'looks too short to be an API key')),
    MINIMAX_BASE_URL: url.default('https://api.minimax.io'),
    /**
     * Model for requests that name none (any spelling resolveModelName knows). Unset: each mode's
     * default of SPEC §1.1. A mode the model cannot do (a subject photo on Hailuo) keeps its own.
     */
    DEFAULT_MODEL: optional(
      z.string().transform((v, ctx) => {
        const name = resolveModelName(v);
        if (!name) {
          ctx.addIssue({
            code: 'custom',
            message: `must be one of ${[...MODELS, ...V2_MODELS].join(', ')}`,
          });
          return z.NEVER;
        }
        return name;
      }),
    ),
    /** Task creations per minute allowed by the MiniMax account (5 on the default plan). */
    MINIMAX_RPM: num(5, 0.1, 100_000),
    /**
     * Status queries (task queries and file retrievals) per second for the whole account, across
     * every job and instance; may be fractional. Keeps many jobs in flight from flooding MiniMax.
     */
    MINIMAX_QPS: num(5, 0.1, 1000),
    MAX_ACTIVE_JOBS: int(10, 1, 10_000),
    /** Give up on a task after this long without a terminal status. */
    JOB_TIMEOUT_S: int(30 * 60, 10, 24 * 3600),
    POLL_MIN_S: num(5, 0.01, 3600),
    POLL_MAX_S: num(30, 0.01, 3600),
    /** MiniMax HTTP request timeout. */
    MINIMAX_TIMEOUT_S: num(30, 0.1, 600),

    DISCORD_TOKEN: optional(z.string().min(10)),
    DISCORD_APPLICATION_ID: optional(z.string().regex(/^\d{5,25}$/, 'must be a numeric snowflake')),
    DISCORD_API_URL: url.default('https://discord.com/api'),
    DISCORD_GUILD_ID: optional(z.string().regex(/^\d{5,25}$/, 'must be a numeric snowflake')),
    /** Roles allowed to use /video (ids); empty = everyone. */
    DISCORD_ALLOWED_ROLES: csv,

    SLACK_BOT_TOKEN: optional(z.string().min(10)),
    SLACK_APP_TOKEN: optional(z.string().startsWith('xapp-', 'must start with xapp-')),
    SLACK_SIGNING_SECRET: optional(z.string().min(8)),
    SLACK_API_URL: url.default('https://slack.com/api/'),
    /** Slack user ids allowed to use /video; empty = everyone. */
    SLACK_ALLOWED_USERS: csv,
    /**
     * Slack user-group ids (S0123ABCD) whose members may use /video, alongside
     * SLACK_ALLOWED_USERS; empty = no group check. Needs the usergroups:read scope.
     */
    SLACK_ALLOWED_GROUPS: csv,

    STORE_URL: optional(
      z
        .string()
        .refine(
          (v) => /^(sqlite|redis|rediss|memory):/.test(v),
          'must be sqlite://, redis:// or memory://',
        ),
    ),
    REDIS_URL: optional(z.string()),
    DATA_DIR: z.string().min(1).default('./data'),
    PORT: int(3000, 0, 65_535),
    PUBLIC_URL: optional(url),
    /** How long links served from /videos stay valid. */
    VIDEO_LINK_TTL_H: num(72, 0.01, 24 * 365),
    /**
     * Hours a delivered video stays in DATA_DIR/videos; default VIDEO_LINK_TTL_H. A file is never
     * deleted while its link still works, so a shorter value only applies to uploaded videos.
     */
    VIDEO_RETENTION_H: optional(
      z.coerce
        .number()
        .min(0.01)
        .max(24 * 365),
    ),
    /** Days a finished job's record stays in the store (status, dashboard, late clicks). */
    JOB_RETENTION_D: num(90, 1, 3650),
    /** A MiniMax video larger than this (MB) is not downloaded; the job fails with a sentence. */
    MAX_VIDEO_MB: int(500, 1, 100_000),
    /** Below this much free space in DATA_DIR (MB), new jobs are refused; 0 turns the guard off. */
    MIN_FREE_DISK_MB: int(200, 0, 10_000_000),
    /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
    METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),

    ALLOWED_CHANNELS: csv,
    /** Discord guild ids or Slack team ids allowed; empty = any. */
    ALLOWED_GUILDS: csv,
    /** Platform user ids that bypass quotas and may use admin commands. */
    ADMIN_USERS: csv,
    USER_DAILY_LIMIT: int(0, 0, 100_000),
    USER_MAX_ACTIVE: int(0, 0, 1000),
    /** Videos per UTC day for the whole team; 0 = unlimited. */
    TEAM_DAILY_LIMIT: int(0, 0, 1_000_000),
    /** Videos per UTC day for every server and workspace together; 0 = unlimited. */
    DAILY_LIMIT: int(0, 0, 10_000_000),
    /** Budgets in the price table's currency (0 = none), reserved at admission like the counts. */
    USER_DAILY_BUDGET: num(0, 0, 1_000_000),
    TEAM_DAILY_BUDGET: num(0, 0, 10_000_000),
    TEAM_MONTHLY_BUDGET: num(0, 0, 100_000_000),
    DAILY_BUDGET: num(0, 0, 100_000_000),
    /** A JSON price table replacing the built-in one (checked at start). */
    PRICES_FILE: optional(z.string().min(1)),

    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
    NODE_ENV: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.POLL_MIN_S > c.POLL_MAX_S)
      ctx.addIssue({ code: 'custom', path: ['POLL_MIN_S'], message: 'must not exceed POLL_MAX_S' });
    if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID)
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_APPLICATION_ID'],
        message: 'is required when DISCORD_TOKEN is set',
      });
    if (c.SLACK_BOT_TOKEN && !c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_APP_TOKEN'],
        message: 'or SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set',
      });
  });

export type Config = z.output<typeof configSchema>;
export type Env = Record<string, string | undefined>;

/** Parses the environment once at start; throws ConfigError with one line naming the variable. */
export function loadConfig(env: Env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? 'configuration');
  const value = env[name];
  const shown =
    value === undefined ? '' : ` (got "${isSecretName(name) ? '***' : redactUrl(value)}")`;
  throw new ConfigError(`${name} ${describeIssue(issue)}${shown}`);
}

/**
 * The process environment, with values from a `.env` file (already parsed by the caller) beneath
 * it: a real variable always wins over the file. The only place that reads `process.env`.
 */
export function currentEnv(fromFile: Env = {}): Env {
  return { ...fromFile, ...process.env };
}

/** Zod's wording ("expected number, received NaN") turned into what to write instead. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'number' ? 'must be a number' : `must be a ${issue.expected}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be a URL such as https://example.com' : issue.message;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

export function isSecretName(name: string): boolean {
  return /KEY|TOKEN|SECRET|PASSWORD/.test(name);
}

/** The store URL actually used: an explicit STORE_URL, else SQLite inside DATA_DIR. */
export function storeUrlOf(config: Config): string {
  return config.STORE_URL ?? `sqlite://${config.DATA_DIR.replace(/\/$/, '')}/bot.sqlite`;
}
