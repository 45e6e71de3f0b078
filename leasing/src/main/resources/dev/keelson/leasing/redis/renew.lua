-- Extends a lease if it is still the caller's. KEYS[1]: the lease. ARGV[1]: owner; ARGV[2]:
-- token; ARGV[3]: ttl in ms. Returns the new expiry in epoch ms, or -1 (nothing changed).
redis.replicate_commands()
local held = redis.call('HMGET', KEYS[1], 'owner', 'token')
if held[1] ~= ARGV[1] or held[2] ~= ARGV[2] then
  return -1
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local time = redis.call('TIME')
return math.floor((tonumber(time[1]) * 1000000 + tonumber(time[2])) / 1000) + tonumber(ARGV[3])
