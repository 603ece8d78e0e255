/**
 * Lua scripts of the Redis job store. Each runs atomically on the server, so a check and the
 * write it guards cannot be split by another instance. A job is a hash: `v` version, `s` state,
 * `b` JSON body, `ct` last claim token (kept with the record so tokens only grow).
 */

const FINAL = 'local FINAL = { done = true, failed = true, cancelled = true, expired = true }\n';

// KEYS: job, active, user list, team list (or the job key again when none).
// ARGV: id, state, body, createdAt, userKeep, teamKeep, hasTeam, retentionMs, indexTtlMs.
export const INSERT =
  FINAL +
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', 1, 's', ARGV[2], 'b', ARGV[3])
if FINAL[ARGV[2]] then
  redis.call('PEXPIRE', KEYS[1], ARGV[8])
else
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
end
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[5]) - 1)
redis.call('PEXPIRE', KEYS[3], ARGV[9])
if ARGV[7] == '1' then
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
  redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -tonumber(ARGV[6]) - 1)
  redis.call('PEXPIRE', KEYS[4], ARGV[9])
end
return 1`;

// KEYS: job, active, claim. ARGV: id, expected version, state, body, retentionMs, owner, token.
// Returns {'ok', version} or {reason, version, body} of the stored record.
export const REPLACE =
  FINAL +
  `
local cur = redis.call('HMGET', KEYS[1], 'v', 's', 'b')
if not cur[1] then return {'missing'} end
if FINAL[cur[2]] and ARGV[3] ~= cur[2] then return {'final', cur[1], cur[3]} end
if cur[1] ~= ARGV[2] then return {'version', cur[1], cur[3]} end
if ARGV[6] ~= '' then
  local c = redis.call('HMGET', KEYS[3], 'o', 't')
  if c[1] ~= ARGV[6] or c[2] ~= ARGV[7] then return {'fence', cur[1], cur[3]} end
end
local v = tonumber(cur[1]) + 1
redis.call('HSET', KEYS[1], 'v', v, 's', ARGV[3], 'b', ARGV[4])
if FINAL[ARGV[3]] then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return {'ok', tostring(v)}`;

// KEYS: claim, job, owner's set. ARGV: owner, leaseMs, replaced owner, replaced token.
// Returns the token, -1 when someone else holds the claim, -2 when the job does not exist.
export const TAKE_CLAIM = `
local c = redis.call('HMGET', KEYS[1], 'o', 't')
if c[1] == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(c[2])
end
if c[1] and not (c[1] == ARGV[3] and c[2] == ARGV[4]) then return -1 end
if redis.call('EXISTS', KEYS[2]) == 0 then return -2 end
local t = redis.call('HINCRBY', KEYS[2], 'ct', 1)
redis.call('HSET', KEYS[1], 'o', ARGV[1], 't', t)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[3], KEYS[1])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return t`;

// KEYS: owner's set. ARGV: owner, leaseMs. Extends the owner's live claims, forgets the rest.
export const RENEW_CLAIMS = `
local held = 0
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('HGET', key, 'o') == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    held = held + 1
  else
    redis.call('SREM', KEYS[1], key)
  end
end
if held > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return held`;

// KEYS: claim, owner's set. ARGV: owner.
export const RELEASE_CLAIM = `
if redis.call('HGET', KEYS[1], 'o') == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('SREM', KEYS[2], KEYS[1])
return 1`;
