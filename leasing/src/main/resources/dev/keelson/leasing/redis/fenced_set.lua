-- Writes a value only for a fencing token at least as high as any the key has accepted.
-- KEYS[1]: the value's key; KEYS[2]: its fence (the highest token accepted), same hash slot.
-- ARGV[1]: the value; ARGV[2]: the writer's token, a decimal long; ARGV[3]: ttl of the value in
-- ms; ARGV[4]: how long the fence is kept, in ms (at least the value's ttl, so the value never
-- outlives the fence that guards it). Returns 1 if written, 0 if the token is stale (nothing
-- changed). A key with no fence yet accepts any token.

-- Tokens are compared as decimal strings, exactly: Lua numbers are doubles, which round above
-- 2^53 and would let a stale token pass. Both sides come from Java's Long.toString (no leading
-- zeros, no '+', no '-0').
local function less(a, b)
  local a_negative = a:sub(1, 1) == '-'
  local b_negative = b:sub(1, 1) == '-'
  if a_negative ~= b_negative then
    return a_negative
  end
  if a == b then
    return false
  end
  local a_digits = a_negative and a:sub(2) or a
  local b_digits = b_negative and b:sub(2) or b
  local smaller_magnitude
  if #a_digits ~= #b_digits then
    smaller_magnitude = #a_digits < #b_digits
  else
    -- Digit by digit: Lua's string '<' follows the server's collation locale.
    for i = 1, #a_digits do
      local x, y = a_digits:byte(i), b_digits:byte(i)
      if x ~= y then
        smaller_magnitude = x < y
        break
      end
    end
  end
  if a_negative then
    return not smaller_magnitude
  end
  return smaller_magnitude
end

local fence = redis.call('GET', KEYS[2])
if fence and less(ARGV[2], fence) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
return 1
