-- The exact sliding window: a sorted set of permit timestamps per level, decided atomically.
-- KEYS[i]: the sorted set. ARGV[1]: permits; then per level i: ARGV[2i] limit, ARGV[2i+1]
-- window in microseconds. Returns {allowed 0/1, deciding level, remaining, reset after us,
-- retry after us}.
-- Each permit is one member, scored by its microsecond and named "<microsecond>-<sequence>": the
-- sequence counts on from the newest member of the same microsecond (10 digits, so names sort as
-- numbers), so no two permits ever share a name, even after a refund removed some. Both parts are
-- formatted as integers: Lua's own number-to-string would write 1.7123456789012e+15, and permits
-- 100 us apart would then share a name and count once. refund.lua names them the same way.
redis.replicate_commands()
local time = redis.call('TIME')
local clock = tonumber(time[1]) * 1000000 + tonumber(time[2])
local permits = tonumber(ARGV[1])
local nows, firsts = {}, {}
local best_level, best_remaining, best_reset = 1, nil, 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  local newest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
  local now, first = clock, 1
  if newest[2] and tonumber(newest[2]) >= clock then
    -- The same microsecond, or Redis's clock went back: go on from the newest permit, whose
    -- time is then now (a permit never counts from before one already logged).
    now = tonumber(newest[2])
    first = (tonumber(string.match(newest[1], '-(%d+)$')) or 0) + 1
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count + permits > limit then
    -- The request fits once the (count + permits - limit) oldest permits have left. (The newest
    -- is still in the window: count > 0.)
    local leaving = redis.call('ZRANGE', KEYS[i], count + permits - limit - 1, count + permits - limit - 1, 'WITHSCORES')
    return {0, i, limit - count, tonumber(newest[2]) + window - now, tonumber(leaving[2]) + window - now}
  end
  nows[i], firsts[i] = now, first
  if best_remaining == nil or limit - count - permits < best_remaining then
    best_level, best_remaining, best_reset = i, limit - count - permits, window
  end
end
for i = 1, #KEYS do
  local window = tonumber(ARGV[2 * i + 1])
  for j = 0, permits - 1 do
    redis.call('ZADD', KEYS[i], nows[i], string.format('%d-%010d', nows[i], firsts[i] + j))
  end
  -- Until the newest permit leaves the window (later than a window from now if the clock went back).
  redis.call('PEXPIRE', KEYS[i], math.floor((nows[i] + window - clock) / 1000) + 1)
end
-- Slots 6 and 7: the time and first sequence number a refund of a single level needs.
return {1, best_level, best_remaining, best_reset, 0, nows[1], firsts[1]}
