-- Token bucket as GCRA over one or more levels (a hierarchy decides atomically: every level
-- takes the permits or none does). Time is the server's: TIME gives microseconds, and each
-- level's theoretical arrival time (TAT) is kept to the nanosecond, as in this JVM's limiter:
-- the emission interval is the period / limit rounded up to a whole nanosecond, so no rate is
-- rounded to whole microseconds per permit (600,000 a second would admit 1,000,000) and none is
-- ever above its limit.
-- KEYS[i]: the level's key, holding its TAT as "<microseconds>.<nanoseconds, 3 digits>" (a value
-- without the fraction, as earlier versions wrote, reads as whole microseconds).
-- ARGV[1]: permits; then per level i: ARGV[2i] limit, ARGV[2i+1] period in microseconds.
-- Returns {allowed 0/1, deciding level, remaining, reset after us, retry after us}, the times
-- rounded up to whole microseconds (Redis's clock), so a client that waits that long is not early.
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local permits = tonumber(ARGV[1])

-- How far the stored TAT is ahead of now, in nanoseconds (0 for a full bucket). Exact in a
-- double: both parts are whole numbers, and the lead is at most the tolerance (a week).
local function lead(stored)
  if not stored then return 0 end
  local dot = string.find(stored, '.', 1, true)
  local ahead
  if dot then
    ahead = (tonumber(string.sub(stored, 1, dot - 1)) - now) * 1000 + tonumber(string.sub(stored, dot + 1))
  else
    ahead = (tonumber(stored) - now) * 1000
  end
  if ahead < 0 then return 0 end
  return ahead
end

local leads = {}
local best_level, best_remaining, best_reset = 1, nil, 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local interval = math.ceil(tonumber(ARGV[2 * i + 1]) * 1000 / limit)
  local tolerance = interval * limit
  local ahead = lead(redis.call('GET', KEYS[i]))
  local next_ahead = ahead + permits * interval
  if next_ahead > tolerance then
    return {0, i, math.floor((tolerance - ahead) / interval), math.ceil(ahead / 1000),
      math.ceil((next_ahead - tolerance) / 1000)}
  end
  leads[i] = next_ahead
  local remaining = math.floor((tolerance - next_ahead) / interval)
  if best_remaining == nil or remaining < best_remaining then
    best_level, best_remaining, best_reset = i, remaining, math.ceil(next_ahead / 1000)
  end
end
for i = 1, #KEYS do
  -- The key can vanish once the bucket is full again.
  local ahead = leads[i]
  redis.call('SET', KEYS[i], string.format('%d.%03d', now + math.floor(ahead / 1000), ahead % 1000),
    'PX', math.floor(ahead / 1000000) + 1)
end
return {1, best_level, best_remaining, best_reset, 0}
