/**
 * The cart scripts of `RedisCartStore`. Each touches one key, named in KEYS[1]. Fields whose
 * names start with `#` are bookkeeping (SKUs never do): `#v` version, `#claimed` the user who
 * claimed a guest cart, `#m:<guest>` a guest cart merged into a user's cart.
 */
import { LuaScript } from "./_redis.ts";

/** Lua: does KEYS[1] hold a live, unclaimed guest cart? */
const GUEST_LIVE = `(redis.call('EXISTS', KEYS[1]) == 1 and
  redis.call('HEXISTS', KEYS[1], '#claimed') == 0)`;

/**
 * One cart write with its version check. ARGV: ttlMs, guest (1: the cart must exist),
 * ifVersion ('' for none), op (add | set | del | clear), sku, qty.
 * Returns {'missing'}, {'stale', HGETALL} (nothing changed) or {'ok', HGETALL}.
 */
export const WRITE = new LuaScript(`
local key = KEYS[1]
if ARGV[2] == '1' and not ${GUEST_LIVE} then return {'missing'} end
if ARGV[3] ~= '' and tonumber(redis.call('HGET', key, '#v') or '0') ~= tonumber(ARGV[3]) then
  return {'stale', redis.call('HGETALL', key)}
end
local op, sku, qty = ARGV[4], ARGV[5], tonumber(ARGV[6])
if op == 'add' then
  if redis.call('HINCRBY', key, sku, qty) <= 0 then redis.call('HDEL', key, sku) end
elseif op == 'set' then
  if qty > 0 then redis.call('HSET', key, sku, qty) else redis.call('HDEL', key, sku) end
elseif op == 'del' then
  redis.call('HDEL', key, sku)
elseif op == 'clear' then
  for _, field in ipairs(redis.call('HKEYS', key)) do
    if string.sub(field, 1, 1) ~= '#' then redis.call('HDEL', key, field) end
  end
end
redis.call('HINCRBY', key, '#v', 1)
redis.call('PEXPIRE', key, ARGV[1])
return {'ok', redis.call('HGETALL', key)}
`);

/**
 * Takes quantities out of the cart in one step, never below 0 and never creating a line; a new
 * version only when something changed. ARGV: ttlMs, guest (1: must exist), then sku, qty pairs.
 * Returns HGETALL, or nil for a guest cart that does not exist.
 */
export const SUBTRACT = new LuaScript(`
if ARGV[2] == '1' and not ${GUEST_LIVE} then return false end
local changed = false
for i = 3, #ARGV, 2 do
  local held = tonumber(redis.call('HGET', KEYS[1], ARGV[i]))
  if held then
    changed = true
    local left = held - tonumber(ARGV[i + 1])
    if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[i])
    else redis.call('HSET', KEYS[1], ARGV[i], left) end
  end
end
if changed then
  redis.call('HINCRBY', KEYS[1], '#v', 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return redis.call('HGETALL', KEYS[1])
`);

/** A new guest cart with one line. ARGV: ttlMs, sku, qty. Returns HGETALL, or nil if it exists. */
export const CREATE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3], '#v', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])
`);

/**
 * Claims a guest cart for a user. ARGV: userId. Returns HGETALL, or nil when the cart does not
 * exist or another user claimed it.
 */
export const CLAIM = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local by = redis.call('HGET', KEYS[1], '#claimed')
if by and by ~= ARGV[1] then return false end
if not by then redis.call('HSET', KEYS[1], '#claimed', ARGV[1]) end
return redis.call('HGETALL', KEYS[1])
`);

/**
 * Merges guest lines into a user's cart once per guest cart. ARGV: ttlMs, guestId, then sku,
 * qty, max triples: each line ends at min(current + qty, max) but never below current.
 * Returns {1, HGETALL} when applied, {0, HGETALL} when this guest cart was merged before.
 */
export const MERGE = new LuaScript(`
local key = KEYS[1]
local marker = '#m:' .. ARGV[2]
if redis.call('HEXISTS', key, marker) == 1 then return {0, redis.call('HGETALL', key)} end
for i = 3, #ARGV, 3 do
  local current = tonumber(redis.call('HGET', key, ARGV[i]) or '0')
  local wanted = math.min(current + tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]))
  if wanted > current then redis.call('HSET', key, ARGV[i], wanted) end
end
redis.call('HSET', key, marker, 1)
redis.call('HINCRBY', key, '#v', 1)
redis.call('PEXPIRE', key, ARGV[1])
return {1, redis.call('HGETALL', key)}
`);
