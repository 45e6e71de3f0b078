package dev.keelson.outbox;

import dev.keelson.core.internal.jdbc.SqlDialect;

/**
 * The relay's statements in one dialect. The claim picks, in {@code seq} order, pending messages
 * that are due, not claimed by a live claim, and the first unpublished message of their key (so a
 * batch holds at most one message per key and no message overtakes an earlier one of its key).
 */
final class RelaySql {

  /** PostgreSQL claims in one statement; H2 selects, then marks. */
  final boolean claimsInOneStatement;

  final String claim;
  final String markClaimed;
  // Held rounds: the claim is a row lock held while publishing, so the results are the only
  // writes, and they count the attempt. They clear a lease that ran out before the row was
  // locked, so that its late holder's fenced writes find the row no longer its own.
  final String lockClaimable;
  final boolean holdsInClaim;
  final String deleteHeld;
  final String markPublishedHeld;
  final String retryHeld;
  final String buryHeld;
  final String delete;
  final String markPublished;
  final String retry;
  final String bury;
  final String release;
  final String backlog;
  final String replayDead;
  final String replayDeadOfKey;
  final String purgePublished;

  RelaySql(SqlDialect dialect, String t, boolean deadMessagesBlockTheirKey) {
    boolean postgres = dialect == SqlDialect.POSTGRESQL;
    String now = postgres ? "now()" : "CURRENT_TIMESTAMP";
    String nowPlusMillis =
        postgres
            ? "now() + ? * interval '1 millisecond'"
            : "DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP)";
    String nowMinusMillis =
        postgres
            ? "now() - ? * interval '1 millisecond'"
            : "DATEADD(MILLISECOND, -?, CURRENT_TIMESTAMP)";
    String earlierBlocks =
        deadMessagesBlockTheirKey ? "e.state <> 'published'" : "e.state = 'pending'";
    String claimable =
        " FROM "
            + t
            + " m WHERE m.state = 'pending' AND m.due_at <= "
            + now
            + " AND (m.claimed_until IS NULL OR m.claimed_until <= "
            + now
            + ") AND NOT EXISTS (SELECT 1 FROM "
            + t
            + " e WHERE e.msg_key = m.msg_key AND e.seq < m.seq AND "
            + earlierBlocks
            + ") ORDER BY m.seq LIMIT ?";
    String columns =
        "seq, id, topic, msg_key, payload, headers, created_at, attempts, last_delay_ms";
    String select =
        "SELECT m.seq, m.id, m.topic, m.msg_key, m.payload, m.headers, m.created_at,"
            + " m.attempts + 1, m.last_delay_ms"
            + claimable;
    this.claimsInOneStatement = postgres;
    // PostgreSQL (parameters: claimant, claim ms, limit): mark and return in one round trip.
    // H2 (limit): select the claimable rows; it skips locked rows only after its LIMIT, so there
    // relays simply take turns.
    this.claim =
        postgres
            ? "UPDATE "
                + t
                + " SET claimed_by = ?, claimed_until = "
                + nowPlusMillis
                + ", attempts = attempts + 1 WHERE seq IN (SELECT m.seq"
                + claimable
                + " FOR UPDATE OF m SKIP LOCKED) RETURNING "
                + columns
            : select + " FOR UPDATE";
    // PostgreSQL (parameters: claim ms as text, limit). A relay that dies or is cut off
    // mid-publish lets go of its rows when its session ends: the transaction's own setting ends
    // it at the claim time at the latest, as a leased claim would run out. Set in the claim's own
    // statement, so that a round stays three round trips (lock, record, commit).
    // H2 (limit): its claim's select, which locks.
    this.lockClaimable =
        postgres
            ? select.replace(
                    " FROM " + t + " m WHERE",
                    " FROM "
                        + t
                        + " m CROSS JOIN (SELECT set_config('idle_in_transaction_session_timeout',"
                        + " ?, true)) hold WHERE")
                + " FOR UPDATE OF m SKIP LOCKED"
            : claim;
    this.holdsInClaim = postgres;
    this.deleteHeld = "DELETE FROM " + t + " WHERE seq = ANY(?)";
    this.markPublishedHeld =
        "UPDATE "
            + t
            + " SET state = 'published', published_at = "
            + now
            + ", attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL WHERE seq = ANY(?)";
    this.retryHeld =
        "UPDATE "
            + t
            + " SET due_at = "
            + nowPlusMillis
            + ", last_delay_ms = ?, last_error = ?, attempts = attempts + 1, claimed_by = NULL,"
            + " claimed_until = NULL WHERE seq = ?";
    this.buryHeld =
        "UPDATE "
            + t
            + " SET state = 'dead', last_error = ?, attempts = attempts + 1, claimed_by = NULL,"
            + " claimed_until = NULL WHERE seq = ?";
    this.markClaimed =
        "UPDATE "
            + t
            + " SET claimed_by = ?, claimed_until = "
            + nowPlusMillis
            + ", attempts = attempts + 1 WHERE seq = ANY(?)";
    this.delete = "DELETE FROM " + t + " WHERE seq = ANY(?) AND claimed_by = ?";
    this.markPublished =
        "UPDATE "
            + t
            + " SET state = 'published', published_at = "
            + now
            + ", claimed_until = NULL WHERE seq = ANY(?) AND claimed_by = ?";
    this.retry =
        "UPDATE "
            + t
            + " SET due_at = "
            + nowPlusMillis
            + ", last_delay_ms = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL"
            + " WHERE seq = ? AND claimed_by = ?";
    this.bury =
        "UPDATE "
            + t
            + " SET state = 'dead', last_error = ?, claimed_by = NULL, claimed_until = NULL"
            + " WHERE seq = ? AND claimed_by = ?";
    this.release =
        "UPDATE "
            + t
            + " SET claimed_by = NULL, claimed_until = NULL"
            + " WHERE claimed_by LIKE ? AND state = 'pending'";
    this.backlog =
        "SELECT coalesce(sum(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0),"
            + " min(CASE WHEN state = 'pending' THEN created_at END),"
            + " coalesce(sum(CASE WHEN state = 'dead' THEN 1 ELSE 0 END), 0), "
            + now
            + " FROM "
            + t;
    String replay =
        "UPDATE "
            + t
            + " SET state = 'pending', attempts = 0, last_delay_ms = 0, due_at = "
            + now
            + ", last_error = NULL WHERE state = 'dead'";
    this.replayDead = replay;
    this.replayDeadOfKey = replay + " AND msg_key = ?";
    this.purgePublished =
        "DELETE FROM "
            + t
            + " WHERE seq IN (SELECT seq FROM "
            + t
            + " WHERE state = 'published' AND published_at <= "
            + nowMinusMillis
            + " LIMIT "
            + RelayStore.PURGE_BATCH
            + ")";
  }
}
