-- Gives back permits taken from one level of a hierarchy whose next level denied (Redis
-- Cluster, levels in different slots: taken one by one, in order): exactly what was taken, as
-- long as it still counts.
-- KEYS[1]: the level's key. ARGV[1]: algorithm (token_bucket, sliding_window, fixed_window,
-- sliding_log); ARGV[2]: permits; ARGV[3]: limit; ARGV[4]: period in microseconds; ARGV[5]: for
-- the windows, the window (or slice) number the permits were taken in; for the log, the microsecond they
-- were logged at; ARGV[6]: for the log, the sequence number of the first of them.
-- Returns 1 if something was given back.
redis.replicate_commands()
local algorithm = ARGV[1]
local permits = tonumber(ARGV[2])
if algorithm == 'token_bucket' then
  -- As token_bucket.lua: the TAT is "<microseconds>.<nanoseconds>", the interval whole nanoseconds.
  local stored = redis.call('GET', KEYS[1])
  if not stored then return 0 end
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
  local interval = math.ceil(tonumber(ARGV[4]) * 1000 / tonumber(ARGV[3]))
  local dot = string.find(stored, '.', 1, true)
  local ahead
  if dot then
    ahead = (tonumber(string.sub(stored, 1, dot - 1)) - now) * 1000 + tonumber(string.sub(stored, dot + 1))
  else
    ahead = (tonumber(stored) - now) * 1000
  end
  ahead = ahead - permits * interval
  if ahead <= 0 then
    redis.call('DEL', KEYS[1])
  else
    redis.call('SET', KEYS[1], string.format('%d.%03d', now + math.floor(ahead / 1000), ahead % 1000),
      'PX', math.floor(ahead / 1000000) + 1)
  end
  return 1
elseif algorithm == 'sliding_log' then
  -- The members sliding_log.lua added: "<microsecond>-<sequence, 10 digits>".
  local at, first = tonumber(ARGV[5]), tonumber(ARGV[6])
  local removed = 0
  for j = 0, permits - 1 do
    removed = removed + redis.call('ZREM', KEYS[1], string.format('%d-%010d', at, first + j))
  end
  return removed > 0 and 1 or 0
else
  local taken_in = tonumber(ARGV[5])
  local newest = tonumber(redis.call('HGET', KEYS[1], 'w'))
  if newest == nil or taken_in > newest then return 0 end
  local field
  if algorithm == 'fixed_window' then
    -- Only while the permits' window is the one counted: a later one starts from zero anyway.
    if newest ~= taken_in then return 0 end
    field = 'n'
  else
    -- The sliding window keeps its slices in a ring of 11 fields (see sliding_window.lua): the
    -- permits' slice counts until a newer one takes its field.
    if newest - taken_in >= 11 then return 0 end
    field = tostring(taken_in % 11)
  end
  local left = redis.call('HINCRBY', KEYS[1], field, -permits)
  if left < 0 then redis.call('HSET', KEYS[1], field, 0) end
  return 1
end
