-- Adds ARGV[1] to KEYS[1], sets a TTL, and returns the new value.
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], 60000)
return value
