-- Stores the result if the owner still holds the running record; a taken-over owner is refused.
-- KEYS[1]: the record (see begin.lua). ARGV[1]: owner; ARGV[2]: result; ARGV[3]: retention ms.
-- Returns 1 if stored, 0 if not (nothing changed).
local record = redis.call('HMGET', KEYS[1], 'state', 'owner')
if record[1] ~= 'running' or record[2] ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'completed', 'result', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
