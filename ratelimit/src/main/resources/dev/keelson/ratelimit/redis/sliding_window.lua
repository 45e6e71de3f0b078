-- Sliding window counters over one or more levels, decided atomically (all take or none).
-- The estimate is floor(previous * (window - elapsed) / window) + current.
-- KEYS[i]: a hash {w = current window number, p = previous count, c = current count}.
-- ARGV[1]: permits; then per level i: ARGV[2i] limit, ARGV[2i+1] window in microseconds.
-- Returns {allowed 0/1, deciding level, remaining, reset after us, retry after us}.
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local permits = tonumber(ARGV[1])

-- How far into a window floor(previous * (window - e) / window) drops to room or below.
local function slid_out(previous, room, window)
  if room >= previous then return 0 end
  return window - math.floor(((room + 1) * window - 1) / previous)
end

local prevs, currents, indexes = {}, {}, {}
local best_level, best_remaining, best_reset = 1, nil, 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  local index = math.floor(now / window)
  local elapsed = now - index * window
  local state = redis.call('HMGET', KEYS[i], 'w', 'p', 'c')
  local w, previous, current = tonumber(state[1]), 0, 0
  if w == index then
    previous, current = tonumber(state[2]), tonumber(state[3])
  elseif w == index - 1 then
    previous = tonumber(state[3])
  end
  local weighted = math.floor(previous * (window - elapsed) / window)
  local to_end = window - elapsed
  if weighted + current + permits > limit then
    local room = limit - current - permits
    local retry
    if room >= 0 and previous > 0 then
      retry = slid_out(previous, room, window) - elapsed
    elseif current <= limit - permits then
      retry = to_end
    else
      retry = to_end + slid_out(current, limit - permits, window)
    end
    local reset = to_end
    if current > 0 then reset = to_end + window end
    return {0, i, limit - weighted - current, reset, retry}
  end
  prevs[i], currents[i], indexes[i] = previous, current + permits, index
  local remaining = limit - weighted - currents[i]
  if best_remaining == nil or remaining < best_remaining then
    best_level, best_remaining, best_reset = i, remaining, to_end + window
  end
end
for i = 1, #KEYS do
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('HSET', KEYS[i], 'w', indexes[i], 'p', prevs[i], 'c', currents[i])
  -- The counts matter until the next window has slid past them.
  redis.call('PEXPIRE', KEYS[i], math.floor(((indexes[i] + 2) * window - now) / 1000) + 1)
end
-- Slot 6: the window number a refund of a single level needs.
return {1, best_level, best_remaining, best_reset, 0, indexes[1]}
