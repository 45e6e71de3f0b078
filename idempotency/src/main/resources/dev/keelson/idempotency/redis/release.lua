-- Forgets a running record if the owner still holds it, so a retry executes again.
-- KEYS[1]: the record (see begin.lua). ARGV[1]: owner. Returns 1 if released, 0 if not.
local record = redis.call('HMGET', KEYS[1], 'state', 'owner')
if record[1] ~= 'running' or record[2] ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
