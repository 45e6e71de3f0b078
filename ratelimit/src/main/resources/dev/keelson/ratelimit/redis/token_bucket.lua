-- Token bucket as GCRA over one or more levels (a hierarchy decides atomically: every level
-- takes the permits or none does). Time is the server's, in microseconds.
-- KEYS[i]: the level's key, holding its theoretical arrival time (TAT).
-- ARGV[1]: permits; then per level i: ARGV[2i] limit, ARGV[2i+1] period in microseconds.
-- Returns {allowed 0/1, deciding level, remaining, reset after us, retry after us}.
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local permits = tonumber(ARGV[1])
local next_tat = {}
local best_level, best_remaining, best_reset = 1, nil, 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local interval = math.floor(tonumber(ARGV[2 * i + 1]) / limit)
  local tolerance = interval * limit
  local tat = tonumber(redis.call('GET', KEYS[i])) or now
  if tat < now then tat = now end
  local new_tat = tat + permits * interval
  if new_tat - now > tolerance then
    return {0, i, math.floor((tolerance - (tat - now)) / interval), tat - now, new_tat - tolerance - now}
  end
  next_tat[i] = new_tat
  local remaining = math.floor((tolerance - (new_tat - now)) / interval)
  if best_remaining == nil or remaining < best_remaining then
    best_level, best_remaining, best_reset = i, remaining, new_tat - now
  end
end
for i = 1, #KEYS do
  -- The key can vanish once the bucket is full again.
  redis.call('SET', KEYS[i], next_tat[i], 'PX', math.floor((next_tat[i] - now) / 1000) + 1)
end
return {1, best_level, best_remaining, best_reset, 0}
