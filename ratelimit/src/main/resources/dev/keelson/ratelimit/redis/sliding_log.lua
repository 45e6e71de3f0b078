-- The exact sliding window: a sorted set of permit timestamps per level, decided atomically.
-- KEYS[i]: the sorted set. ARGV[1]: permits; then per level i: ARGV[2i] limit, ARGV[2i+1]
-- window in microseconds. Returns {allowed 0/1, deciding level, remaining, reset after us,
-- retry after us}.
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local permits = tonumber(ARGV[1])
local counts = {}
local best_level, best_remaining, best_reset = 1, nil, 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count + permits > limit then
    -- The request fits once the (count + permits - limit) oldest permits have left.
    local leaving = redis.call('ZRANGE', KEYS[i], count + permits - limit - 1, count + permits - limit - 1, 'WITHSCORES')
    local newest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
    return {0, i, limit - count, tonumber(newest[2]) + window - now, tonumber(leaving[2]) + window - now}
  end
  counts[i] = count
  if best_remaining == nil or limit - count - permits < best_remaining then
    best_level, best_remaining, best_reset = i, limit - count - permits, window
  end
end
for i = 1, #KEYS do
  local window = tonumber(ARGV[2 * i + 1])
  for j = 1, permits do
    redis.call('ZADD', KEYS[i], now, now .. '-' .. (counts[i] + j))
  end
  redis.call('PEXPIRE', KEYS[i], math.floor(window / 1000) + 1)
end
-- Slots 6 and 7: the time and base count a refund of a single level needs.
return {1, best_level, best_remaining, best_reset, 0, now, counts[1]}
