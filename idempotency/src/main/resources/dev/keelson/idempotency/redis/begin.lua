-- Begins an execution of an idempotency key, or says why not. KEYS[1]: the record, a hash of
-- fp (fingerprint), state ('running' or 'completed'), owner, lease (ms, server time), result.
-- ARGV[1]: fingerprint; ARGV[2]: owner; ARGV[3]: lease ms; ARGV[4]: retention ms.
-- Returns {'started', 0 | 1 (took over an expired lease)}, {'running', lease ms},
-- {'completed', result}, {'completed_without_result'} or {'mismatch'}.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local record = redis.call('HMGET', KEYS[1], 'fp', 'state', 'lease', 'result')
local took_over = 0
if record[1] then
  if record[1] ~= ARGV[1] then
    return {'mismatch'}
  end
  if record[2] == 'completed' then
    if record[4] then
      return {'completed', record[4]}
    end
    return {'completed_without_result'}
  end
  if tonumber(record[3]) > now then
    return {'running', tonumber(record[3])}
  end
  took_over = 1
end
redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'state', 'running', 'owner', ARGV[2],
  'lease', now + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {'started', took_over}
