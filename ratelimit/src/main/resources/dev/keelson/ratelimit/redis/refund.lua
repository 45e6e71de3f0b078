-- Gives back permits taken from one level of a hierarchy whose next level denied (Redis
-- Cluster, levels in different slots: taken one by one, in order).
-- KEYS[1]: the level's key. ARGV[1]: algorithm (token_bucket, sliding_window, fixed_window,
-- sliding_log); ARGV[2]: permits; ARGV[3]: limit; ARGV[4]: period in microseconds; ARGV[5]: for
-- the windows, the window (or slice) number the permits were taken in; for the log, the microsecond they
-- were logged at; ARGV[6]: for the log, the count before they were added.
-- Returns 1 if something was given back.
redis.replicate_commands()
local algorithm = ARGV[1]
local permits = tonumber(ARGV[2])
if algorithm == 'token_bucket' then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
  local interval = math.floor(tonumber(ARGV[4]) / tonumber(ARGV[3]))
  local tat = tonumber(redis.call('GET', KEYS[1]))
  if tat == nil then return 0 end
  local back = tat - permits * interval
  if back <= now then
    redis.call('DEL', KEYS[1])
  else
    redis.call('SET', KEYS[1], back, 'PX', math.floor((back - now) / 1000) + 1)
  end
  return 1
elseif algorithm == 'sliding_log' then
  local removed = 0
  for j = 1, permits do
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[5] .. '-' .. (tonumber(ARGV[6]) + j))
  end
  return removed > 0 and 1 or 0
else
  -- The windows: only while the permits' window (or slice) is still the newest one written.
  if tonumber(redis.call('HGET', KEYS[1], 'w')) ~= tonumber(ARGV[5]) then return 0 end
  -- The sliding window keeps its slices in a ring of 11 fields (see sliding_window.lua).
  local field = algorithm == 'fixed_window' and 'n' or tostring(tonumber(ARGV[5]) % 11)
  local left = redis.call('HINCRBY', KEYS[1], field, -permits)
  if left < 0 then redis.call('HSET', KEYS[1], field, 0) end
  return 1
end
