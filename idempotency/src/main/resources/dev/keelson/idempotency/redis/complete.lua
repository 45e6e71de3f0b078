-- Completes the running record if the owner still holds it; a taken-over owner is refused.
-- KEYS[1]: the record (see begin.lua). ARGV[1]: owner; ARGV[2]: retention ms; ARGV[3], if given:
-- the result (without it, the record says the request was executed and its result not kept).
-- Returns 1 if completed, or completed by this owner already (a retried completion: the first
-- stands); 0 if not (nothing changed).
local record = redis.call('HMGET', KEYS[1], 'state', 'owner')
if record[2] ~= ARGV[1] then
  return 0
end
if record[1] == 'completed' then
  return 1
end
if record[1] ~= 'running' then
  return 0
end
if ARGV[3] then
  redis.call('HSET', KEYS[1], 'state', 'completed', 'result', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'state', 'completed')
  redis.call('HDEL', KEYS[1], 'result')
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
