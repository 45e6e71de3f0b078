-- Grants a resource if nobody holds it. KEYS[1]: the lease (hash owner, token; its TTL is the
-- grant). KEYS[2]: the resource's last token. ARGV[1]: owner; ARGV[2]: ttl in ms; ARGV[3]: how
-- long the last token is kept, in ms. Returns {token, expiry in epoch ms}, or an empty table.
-- The token is max(last token + 1, server time in microseconds): it keeps increasing even when
-- the last token was lost (expired, or a restart without persistence), as long as the server's
-- clock does not go back.
redis.replicate_commands()
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {}
end
local time = redis.call('TIME')
local now_us = tonumber(time[1]) * 1000000 + tonumber(time[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local token = math.max(last + 1, now_us)
redis.call('SET', KEYS[2], token, 'PX', ARGV[3])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {token, math.floor(now_us / 1000) + tonumber(ARGV[2])}
