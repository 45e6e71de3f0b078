-- Returns what it was given: the keys, then the arguments.
local reply = {}
for i = 1, #KEYS do reply[#reply + 1] = KEYS[i] end
for i = 1, #ARGV do reply[#reply + 1] = ARGV[i] end
return reply
