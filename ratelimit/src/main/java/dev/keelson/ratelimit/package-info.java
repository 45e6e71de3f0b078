/**
 * Rate limiting: token bucket (GCRA), sliding window counter, sliding window log and fixed window,
 * in-process and on Redis. Start at {@link dev.keelson.ratelimit.RateLimit} (the rule) and {@link
 * dev.keelson.ratelimit.RateLimiter} (where it is enforced).
 */
@NullMarked
package dev.keelson.ratelimit;

import org.jspecify.annotations.NullMarked;
