import { RedisScript } from "./redis-script.js";

/**
 * The atomic steps of the Redis state, each one Lua script (Redis runs a script without
 * interleaving). Times come from the calling gateway (its clock, as in-process state does;
 * gateways are expected to be NTP-synchronised), integers travel as decimal strings.
 */

/**
 * Breaker hash fields: f failures, ou open-until (0 closed), pt probe token, pu probe-until,
 * r revision (raised by every change of f or ou, so a gateway never takes an older event for a newer one).
 */
const BREAKER_TTL_MS = 86_400_000;

/** KEYS: circuit. ARGV: now, token, probeTimeoutMs. → {verdict (1 pass, 2 probe, 0 refused), retryInMs, failures, openUntil, revision} */
export const breakerAcquire = new RedisScript(
  "breaker-acquire",
  `local h = redis.call('HMGET', KEYS[1], 'f', 'ou', 'pt', 'pu', 'r')
local f = tonumber(h[1] or '0')
local ou = tonumber(h[2] or '0')
local pu = tonumber(h[4] or '0')
local r = tonumber(h[5] or '0')
local now = tonumber(ARGV[1])
if ou == 0 then return {1, 0, f, 0, r} end
if now < ou then return {0, ou - now, f, ou, r} end
if h[3] and now < pu then return {0, pu - now, f, ou, r} end
redis.call('HSET', KEYS[1], 'pt', ARGV[2], 'pu', string.format('%d', now + tonumber(ARGV[3])))
redis.call('PEXPIRE', KEYS[1], ${BREAKER_TTL_MS})
return {2, 0, f, ou, r}`,
);

/** KEYS: circuit. ARGV: channel, model. Closes the circuit and, if it was not closed, tells the other gateways. → {changed, revision} */
export const breakerSuccess = new RedisScript(
  "breaker-success",
  `local h = redis.call('HMGET', KEYS[1], 'f', 'ou', 'pt')
if (h[1] or '0') == '0' and (h[2] or '0') == '0' and not h[3] then
  return {0, tonumber(redis.call('HGET', KEYS[1], 'r') or '0')}
end
redis.call('HSET', KEYS[1], 'f', '0', 'ou', '0')
redis.call('HDEL', KEYS[1], 'pt', 'pu')
local r = redis.call('HINCRBY', KEYS[1], 'r', 1)
redis.call('PEXPIRE', KEYS[1], ${BREAKER_TTL_MS})
redis.call('PUBLISH', ARGV[1], cjson.encode({m = ARGV[2], f = 0, ou = 0, r = r}))
return {1, r}`,
);

/** KEYS: circuit. ARGV: now, threshold, cooldownMs, probe token ('' for none), channel, model. → {failures, openUntil, revision} */
export const breakerFailure = new RedisScript(
  "breaker-failure",
  `local f = redis.call('HINCRBY', KEYS[1], 'f', 1)
local was_probe = ARGV[4] ~= '' and redis.call('HGET', KEYS[1], 'pt') == ARGV[4]
if was_probe then redis.call('HDEL', KEYS[1], 'pt', 'pu') end
local ou = tonumber(redis.call('HGET', KEYS[1], 'ou') or '0')
if was_probe or f >= tonumber(ARGV[2]) then
  ou = tonumber(ARGV[1]) + tonumber(ARGV[3])
  redis.call('HSET', KEYS[1], 'ou', string.format('%d', ou))
end
local r = redis.call('HINCRBY', KEYS[1], 'r', 1)
redis.call('PEXPIRE', KEYS[1], ${BREAKER_TTL_MS})
redis.call('PUBLISH', ARGV[5], cjson.encode({m = ARGV[6], f = f, ou = ou, r = r}))
return {f, ou, r}`,
);

/** KEYS: circuit. ARGV: token. Frees the probe slot if this token holds it. */
export const breakerRelease = new RedisScript(
  "breaker-release",
  `if redis.call('HGET', KEYS[1], 'pt') == ARGV[1] then return redis.call('HDEL', KEYS[1], 'pt', 'pu') end
return 0`,
);

/**
 * KEYS: per rate limit its current and previous window counters, then one counter per budget.
 * ARGV: #rate limits, #budgets, then per rate limit: limit, windowMs, cost, elapsedMs, ttlMs;
 * per budget: limit (nano-USD), estimate (nano-USD), ttlMs.
 * All-or-nothing: counts everything only when every limit admits.
 * → {admitted (1/0), cur1, prev1, cur2, prev2, …, used1, used2, …} (before this request)
 */
export const quotaReserve = new RedisScript(
  "quota-reserve",
  `local nr = tonumber(ARGV[1])
local nb = tonumber(ARGV[2])
local out = {0}
local ok = true
for i = 1, nr do
  local a = 3 + (i - 1) * 5
  local limit, w, cost, elapsed = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local cur = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local prev = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  if prev * (w - elapsed) / w + cur + cost > limit then ok = false end
  out[#out + 1] = cur
  out[#out + 1] = prev
end
local base = 3 + nr * 5
for j = 1, nb do
  local used = tonumber(redis.call('GET', KEYS[2 * nr + j]) or '0')
  if used >= tonumber(ARGV[base + (j - 1) * 3]) then ok = false end
  out[#out + 1] = used
end
if ok then
  for i = 1, nr do
    local a = 3 + (i - 1) * 5
    redis.call('INCRBY', KEYS[2 * i - 1], ARGV[a + 2])
    redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[a + 4])
  end
  for j = 1, nb do
    local b = base + (j - 1) * 3
    redis.call('INCRBY', KEYS[2 * nr + j], ARGV[b + 1])
    redis.call('PEXPIRE', KEYS[2 * nr + j], ARGV[b + 2])
  end
  out[1] = 1
end
return out`,
);

/** KEYS: counters. ARGV: per key a delta and a ttlMs. Adds each delta, never going below zero. */
export const quotaSettle = new RedisScript(
  "quota-settle",
  `for i = 1, #KEYS do
  local delta = tonumber(ARGV[2 * i - 1])
  if delta ~= 0 then
    local v = redis.call('INCRBY', KEYS[i], ARGV[2 * i - 1])
    if v < 0 then redis.call('SET', KEYS[i], '0', 'KEEPTTL') end
    if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
  end
end
return #KEYS`,
);

/**
 * KEYS: artifact hash (v version, r revision). ARGV: version, mode ('any' | 'absent' | 'equals'),
 * expected version, channel, name. → {set (1/0), revision}
 */
export const artifactSet = new RedisScript(
  "artifact-set",
  `local cur = redis.call('HGET', KEYS[1], 'v')
if ARGV[2] == 'absent' and cur then return {0, 0} end
if ARGV[2] == 'equals' and cur ~= ARGV[3] then return {0, 0} end
local rev = redis.call('HINCRBY', KEYS[1], 'r', 1)
redis.call('HSET', KEYS[1], 'v', ARGV[1])
redis.call('PUBLISH', ARGV[4], cjson.encode({n = ARGV[5], v = ARGV[1], r = rev}))
return {1, rev}`,
);
