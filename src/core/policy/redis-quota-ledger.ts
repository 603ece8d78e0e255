import type { Redis } from 'ioredis';
import {
  assertLines,
  type QuotaLedger,
  type QuotaLine,
  type ReserveOutcome,
} from './quota-ledger.js';

export interface RedisQuotaLedgerOptions {
  /** A connected ioredis client; the ledger never closes it. */
  redis: Redis;
  /** Key prefix shared by every instance of one bot (and its job store). */
  namespace: string;
}

// Per counter: `t:` its total, `a:` a hash hold → amount, `e:` a sorted set hold → expiry.
// Per reservation: `r:` a hash counter → kind, for release and commit. Expired holds are
// subtracted before a counter is read. Expiries are relative (PEXPIRE), so the caller's clock,
// fake in tests, decides them rather than Redis's. Keys are built inside the scripts from the
// prefix, which a single Redis (the deployment SPEC §3 describes) allows.
const COMMON = `
local p = ARGV[1]
local now = tonumber(ARGV[2])
local function current(counter)
  local ekey = p .. 'e:' .. counter
  local gone = redis.call('ZRANGEBYSCORE', ekey, '-inf', now)
  if #gone > 0 then
    local akey = p .. 'a:' .. counter
    local sum = 0
    for _, hold in ipairs(gone) do
      sum = sum + tonumber(redis.call('HGET', akey, hold) or '0')
      redis.call('HDEL', akey, hold)
    end
    redis.call('ZREMRANGEBYSCORE', ekey, '-inf', now)
    redis.call('DECRBY', p .. 't:' .. counter, sum)
  end
  return tonumber(redis.call('GET', p .. 't:' .. counter) or '0')
end
local function give_back(id, counter)
  local akey = p .. 'a:' .. counter
  local amount = redis.call('HGET', akey, id)
  if amount then
    redis.call('HDEL', akey, id)
    redis.call('ZREM', p .. 'e:' .. counter, id)
    redis.call('DECRBY', p .. 't:' .. counter, amount)
  end
end
local function keep_until(key, ttl)
  local pttl = redis.call('PTTL', key)
  if pttl < ttl then redis.call('PEXPIRE', key, ttl) end
end
`;

// ARGV: prefix, now, id, then per line: counter, limit (-1 = none), amount, kind, expiresAt.
const RESERVE = `${COMMON}
local id = ARGV[3]
local rkey = p .. 'r:' .. id
if redis.call('EXISTS', rkey) == 1 then return {1} end
local lines = (#ARGV - 3) / 5
for i = 0, lines - 1 do
  local b = 4 + i * 5
  local used = current(ARGV[b])
  local limit = tonumber(ARGV[b + 1])
  if limit >= 0 and used + tonumber(ARGV[b + 2]) > limit then return {0, i, used} end
end
local longest = 1
for i = 0, lines - 1 do
  local b = 4 + i * 5
  local counter, amount, kind = ARGV[b], ARGV[b + 2], ARGV[b + 3]
  local ttl = math.max(1, tonumber(ARGV[b + 4]) - now)
  redis.call('INCRBY', p .. 't:' .. counter, amount)
  redis.call('HSET', p .. 'a:' .. counter, id, amount)
  redis.call('ZADD', p .. 'e:' .. counter, ARGV[b + 4], id)
  keep_until(p .. 't:' .. counter, ttl)
  keep_until(p .. 'a:' .. counter, ttl)
  keep_until(p .. 'e:' .. counter, ttl)
  redis.call('HSET', rkey, counter, kind)
  longest = math.max(longest, ttl)
end
redis.call('PEXPIRE', rkey, longest)
return {1}
`;

// ARGV: prefix, now, id, mode ('all' or 'running'), and for a commit the amount each kept hold
// becomes (-1: unchanged). Afterwards the reservation is forgotten, so whatever it kept (commit)
// can never be given back.
const SETTLE = `${COMMON}
local id = ARGV[3]
local rkey = p .. 'r:' .. id
local resize = tonumber(ARGV[5] or '-1')
local holds = redis.call('HGETALL', rkey)
for i = 1, #holds, 2 do
  if ARGV[4] == 'all' or holds[i + 1] == 'running' then
    give_back(id, holds[i])
  elseif resize >= 0 then
    local akey = p .. 'a:' .. holds[i]
    local old = redis.call('HGET', akey, id)
    if old then
      redis.call('HSET', akey, id, resize)
      redis.call('INCRBY', p .. 't:' .. holds[i], resize - tonumber(old))
    end
  end
end
redis.call('DEL', rkey)
return 0
`;

// ARGV: prefix, now, then the counters.
const USED = `${COMMON}
local out = {}
for i = 3, #ARGV do out[#out + 1] = current(ARGV[i]) end
return out
`;

/**
 * The QuotaLedger shared by every instance on one Redis: each operation is one Lua script, so
 * Redis runs the check and the increments of all counters with nothing in between.
 */
export class RedisQuotaLedger implements QuotaLedger {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: RedisQuotaLedgerOptions) {
    this.redis = options.redis;
    this.prefix = `${options.namespace}:quota:`;
  }

  async reserve(id: string, lines: readonly QuotaLine[], now: number): Promise<ReserveOutcome> {
    assertLines(lines);
    const args = lines.flatMap((l) => [l.counter, l.limit ?? -1, l.amount, l.kind, l.expiresAt]);
    const reply = (await this.redis.eval(RESERVE, 0, this.prefix, now, id, ...args)) as number[];
    if (reply[0] === 1) return { ok: true };
    return { ok: false, line: Number(reply[1]), used: Number(reply[2]) };
  }

  async release(id: string): Promise<void> {
    await this.redis.eval(SETTLE, 0, this.prefix, 0, id, 'all');
  }

  async commit(id: string, amount?: number): Promise<void> {
    if (amount !== undefined && (!Number.isSafeInteger(amount) || amount < 0))
      throw new RangeError('a committed amount must be a whole number of at least 0');
    await this.redis.eval(SETTLE, 0, this.prefix, 0, id, 'running', amount ?? -1);
  }

  async used(counters: readonly string[], now: number): Promise<number[]> {
    if (counters.length === 0) return [];
    const reply = (await this.redis.eval(USED, 0, this.prefix, now, ...counters)) as number[];
    return reply.map(Number);
  }

  async close(): Promise<void> {}
}
