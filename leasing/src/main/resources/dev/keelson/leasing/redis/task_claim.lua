-- Claims up to ARGV[2] due tasks: each claim bumps the task's token and attempts and moves its
-- due time to the claim's end (so an abandoned claim becomes claimable again). A due task that
-- already had ARGV[4] claims goes to the dead set instead, and so does a task whose data is gone
-- (evicted under a maxmemory policy, or deleted by hand): it cannot be run, and left in the due
-- set it would stop every later claim. KEYS as in task_enqueue.lua.
-- ARGV[1]: owner; ARGV[2]: max; ARGV[3]: claim ms; ARGV[4]: max attempts; ARGV[5]: retention ms.
-- Returns two flat lists: id, payload, token, attempt, previous owner ('' if none), last backoff
-- ms for each claimed task; id, last error for each task moved to the dead set; the ids of those
-- whose data was gone.
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local max = tonumber(ARGV[2])
local claimed = {}
local buried = {}
local vanished = {}
local count = 0
-- Burials are bounded too, so that one claim stays a short script however many tasks are dead.
while count < max and #buried < 2000 do
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)
  if #due == 0 then break end
  local id = due[1]
  local data = redis.call('HMGET', KEYS[2], id .. ':attempts', id .. ':payload')
  local attempts = tonumber(data[1])
  if not attempts or not data[2] then
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZADD', KEYS[4], now, id)
    local error = 'the task data is gone from Redis (evicted by a maxmemory policy, or deleted)'
    redis.call('HSET', KEYS[2], id .. ':error', error)
    buried[#buried + 1] = tonumber(id)
    buried[#buried + 1] = error
    vanished[#vanished + 1] = tonumber(id)
  elseif attempts >= tonumber(ARGV[4]) then
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZADD', KEYS[4], now, id)
    local error = redis.call('HGET', KEYS[2], id .. ':error')
    if not error then
      error = 'claim ran out ' .. attempts .. ' times'
      redis.call('HSET', KEYS[2], id .. ':error', error)
    end
    buried[#buried + 1] = tonumber(id)
    buried[#buried + 1] = error
  else
    -- An owner left on a due task means its claim ran out (a failure clears the owner).
    local previous = redis.call('HGET', KEYS[2], id .. ':owner') or ''
    local token = redis.call('HINCRBY', KEYS[2], id .. ':token', 1)
    redis.call('HSET', KEYS[2], id .. ':attempts', attempts + 1, id .. ':owner', ARGV[1])
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), id)
    claimed[#claimed + 1] = tonumber(id)
    claimed[#claimed + 1] = data[2]
    claimed[#claimed + 1] = token
    claimed[#claimed + 1] = attempts + 1
    claimed[#claimed + 1] = previous
    claimed[#claimed + 1] = tonumber(redis.call('HGET', KEYS[2], id .. ':delay') or '0')
    count = count + 1
  end
end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[5]) end
return {claimed, buried, vanished}
