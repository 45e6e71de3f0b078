-- Adds a task, due now. KEYS: 1 due (sorted set: id -> due ms), 2 data (hash: <id>:<field>),
-- 3 seq (ids), 4 dead (sorted set). ARGV[1]: payload (base64); ARGV[2]: retention ms.
-- Returns the task's id.
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local id = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], id .. ':payload', ARGV[1], id .. ':attempts', 0, id .. ':token', 0)
redis.call('ZADD', KEYS[1], now, id)
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
return id
