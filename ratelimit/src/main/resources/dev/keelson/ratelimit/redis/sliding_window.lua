-- Sliding window counters over one or more levels, decided atomically (all take or none).
-- A window is SLICES slices; the estimate for the window ending now counts the slices inside it
-- fully and the oldest one, partly outside, by the share of it still inside:
-- floor(oldest * (slice - elapsed) / slice) + the newer ones (as SlidingWindowMath does).
-- KEYS[i]: a hash: w = the newest slice number written; fields 0..SLICES = the counts of the
-- slices w - SLICES .. w, each at its slice number modulo SLICES + 1.
-- ARGV[1]: permits; then per level i: ARGV[2i] limit, ARGV[2i+1] window in microseconds.
-- Returns {allowed 0/1, deciding level, remaining, reset after us, retry after us}.
redis.replicate_commands()
local SLICES = 10
local RING = SLICES + 1
local FIELDS = {'w'}
for p = 0, SLICES do FIELDS[p + 2] = tostring(p) end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local permits = tonumber(ARGV[1])

-- The first elapsed time in a slice where floor(count * (slice - e) / slice) <= room.
local function slid_out(count, room, slice)
  if room >= count then return 0 end
  return slice - math.floor(((room + 1) * slice - 1) / count)
end

-- counts[1] is the current slice, counts[RING] the oldest.
local function retry_after(counts, elapsed, slice, limit)
  for ahead = 0, SLICES do
    local full = 0
    for age = 0, SLICES - ahead - 1 do full = full + counts[age + 1] end
    local room = limit - permits - full
    if room >= 0 then
      return math.max(0, ahead * slice + slid_out(counts[SLICES - ahead + 1], room, slice) - elapsed)
    end
  end
end

local function reset_after(counts, elapsed, slice)
  for age = 0, SLICES do
    if counts[age + 1] > 0 then return (SLICES + 1 - age) * slice - elapsed end
  end
  return 0
end

local levels = {}
local best_level, best_remaining, best_reset = 1, nil, 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local slice = math.floor(tonumber(ARGV[2 * i + 1]) / SLICES)
  local index = math.floor(now / slice)
  local elapsed = now - index * slice
  local state = redis.call('HMGET', KEYS[i], unpack(FIELDS))
  local newest = tonumber(state[1]) or (index - RING)
  if newest > index then
    -- Redis's clock went back: count from the newest slice written, all of the oldest included.
    index, elapsed = newest, 0
  end
  local counts, estimate = {}, 0
  for age = 0, SLICES do
    local of = index - age
    local count = 0
    if of <= newest and of > newest - RING then count = tonumber(state[of % RING + 2]) or 0 end
    counts[age + 1] = count
  end
  for age = 0, SLICES - 1 do estimate = estimate + counts[age + 1] end
  estimate = estimate + math.floor(counts[RING] * (slice - elapsed) / slice)
  if estimate + permits > limit then
    return {0, i, limit - estimate, reset_after(counts, elapsed, slice),
      retry_after(counts, elapsed, slice, limit)}
  end
  counts[1] = counts[1] + permits
  levels[i] = {index = index, newest = newest, count = counts[1], slice = slice}
  local remaining = limit - estimate - permits
  if best_remaining == nil or remaining < best_remaining then
    best_level, best_remaining, best_reset = i, remaining, reset_after(counts, elapsed, slice)
  end
end
for i = 1, #KEYS do
  local level = levels[i]
  local changes = {'w', level.index}
  -- Positions of the slices between the newest written and this one hold counts a whole ring old.
  for of = math.max(level.newest + 1, level.index - SLICES), level.index - 1 do
    changes[#changes + 1] = tostring(of % RING)
    changes[#changes + 1] = 0
  end
  changes[#changes + 1] = tostring(level.index % RING)
  changes[#changes + 1] = level.count
  redis.call('HSET', KEYS[i], unpack(changes))
  -- The counts matter until this slice has slid out of the window.
  redis.call('PEXPIRE', KEYS[i], math.floor(((level.index + RING) * level.slice - now) / 1000) + 1)
end
-- Slot 6: the slice number a refund of a single level needs.
return {1, best_level, best_remaining, best_reset, 0, levels[1].index}
