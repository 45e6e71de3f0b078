return redis.error_reply('KEELSON_TEST deliberate failure')
