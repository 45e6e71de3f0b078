-- Fixed window counters over one or more levels, decided atomically (all take or none).
-- KEYS[i]: a hash {w = window number, n = count}. ARGV[1]: permits; then per level i:
-- ARGV[2i] limit, ARGV[2i+1] window in microseconds. Server time, microseconds.
-- Returns {allowed 0/1, deciding level, remaining, reset after us, retry after us}.
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local permits = tonumber(ARGV[1])
local counts, windows, ends = {}, {}, {}
local best_level, best_remaining, best_reset = 1, nil, 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  local index = math.floor(now / window)
  local state = redis.call('HMGET', KEYS[i], 'w', 'n')
  local written = tonumber(state[1])
  -- A later window than now's was written by a clock ahead of this one (Redis's clock stepped
  -- back, or a failover moved the key to a node whose clock is behind): count in that window, as
  -- this JVM's limiter does, rather than start a fresh count.
  if written ~= nil and written > index then index = written end
  local count = 0
  if written == index then count = tonumber(state[2]) end
  local to_end = (index + 1) * window - now
  if count + permits > limit then
    return {0, i, limit - count, to_end, to_end}
  end
  counts[i], windows[i], ends[i] = count + permits, index, to_end
  if best_remaining == nil or limit - counts[i] < best_remaining then
    best_level, best_remaining, best_reset = i, limit - counts[i], to_end
  end
end
for i = 1, #KEYS do
  redis.call('HSET', KEYS[i], 'w', windows[i], 'n', counts[i])
  redis.call('PEXPIRE', KEYS[i], math.floor(ends[i] / 1000) + 1)
end
-- Slot 6: the window number a refund of a single level needs.
return {1, best_level, best_remaining, best_reset, 0, windows[1]}
