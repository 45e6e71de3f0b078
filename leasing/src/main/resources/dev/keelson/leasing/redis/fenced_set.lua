-- Writes a value only for a fencing token at least as high as any the key has accepted.
-- KEYS[1]: the value's key; KEYS[2]: its fence (the highest token accepted), same hash slot.
-- ARGV[1]: the value; ARGV[2]: the writer's token; ARGV[3]: ttl of both keys in ms.
-- Returns 1 if written, 0 if the token is stale (nothing changed).
local fence = tonumber(redis.call('GET', KEYS[2]) or '-1')
local token = tonumber(ARGV[2])
if token < fence then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
