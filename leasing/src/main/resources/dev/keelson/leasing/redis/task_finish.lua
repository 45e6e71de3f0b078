-- Completes or fails a claimed task, if the claim is still current (same token, still pending).
-- KEYS as in task_enqueue.lua. ARGV[1]: id; ARGV[2]: token; ARGV[3]: 'done', 'retry' or 'dead';
-- ARGV[4]: error (retry, dead); ARGV[5]: delay ms (retry). Returns 1, or 0 (nothing changed).
redis.replicate_commands()
local id = ARGV[1]
if redis.call('ZSCORE', KEYS[1], id) == false
    or redis.call('HGET', KEYS[2], id .. ':token') ~= ARGV[2] then
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if ARGV[3] == 'done' then
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id .. ':payload', id .. ':attempts', id .. ':token', id .. ':owner',
    id .. ':error', id .. ':delay')
elseif ARGV[3] == 'retry' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[5]), id)
  redis.call('HSET', KEYS[2], id .. ':error', ARGV[4], id .. ':delay', ARGV[5])
  redis.call('HDEL', KEYS[2], id .. ':owner')
else
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZADD', KEYS[4], now, id)
  redis.call('HSET', KEYS[2], id .. ':error', ARGV[4])
end
return 1
