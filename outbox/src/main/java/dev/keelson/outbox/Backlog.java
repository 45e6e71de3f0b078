package dev.keelson.outbox;

import java.time.Duration;

/**
 * The outbox's figures at one moment.
 *
 * @param pending messages waiting to be published
 * @param oldestPendingAge how long the oldest of them has waited (the relay's lag); zero if none
 * @param dead messages in the dead letters
 */
public record Backlog(long pending, Duration oldestPendingAge, long dead) {}
