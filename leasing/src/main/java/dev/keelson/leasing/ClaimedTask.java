package dev.keelson.leasing;

import java.time.Duration;

/**
 * A task a worker has claimed: complete it or fail it with its token before the claim runs out.
 * Once the claim has run out, another worker may claim the task with a larger token, and this
 * claim's completion is refused.
 *
 * @param id the task
 * @param queue its queue
 * @param payload what to do
 * @param token the claim's fencing token
 * @param attempt which attempt this claim is, from 1
 * @param lastBackoff the backoff the task waited before this attempt (zero before the first): what
 *     a backoff that grows from the previous delay, such as decorrelated jitter, draws from
 */
public record ClaimedTask(
    long id, String queue, byte[] payload, long token, int attempt, Duration lastBackoff) {}
