-- Ends a lease if it is still the caller's: compare and delete. KEYS[1]: the lease.
-- ARGV[1]: owner; ARGV[2]: token. Returns 1 if released, 0 if not (nothing changed).
local held = redis.call('HMGET', KEYS[1], 'owner', 'token')
if held[1] ~= ARGV[1] or held[2] ~= ARGV[2] then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
