package dev.keelson.examples;

import dev.keelson.micrometer.HealthStatus;

/**
 * What the scripted run saw, and the verdict.
 *
 * @param requests HTTP requests sent
 * @param created payments created (201 on first execution)
 * @param replays duplicates answered with the stored response
 * @param conflicts a key reused with another body (422)
 * @param rateLimited requests refused with 429
 * @param paymentsStored payments in the database
 * @param settlements settlements in the database
 * @param eventsExpected events the service committed (created + settled)
 * @param eventsDelivered distinct events the webhook receiver got
 * @param orderKept every payment's events arrived created before settled
 * @param webhookRetries retries of webhook calls
 * @param budgetRefusals retries the budget refused (the relay delivered those events later)
 * @param leaseTakeovers settlement tasks taken over from a worker whose claim ran out
 * @param staleWritesRefused settlement writes the fence refused
 * @param meters what the Micrometer binders counted, beside the demo's own counts
 */
record Report(
    int requests,
    int created,
    int replays,
    int conflicts,
    int rateLimited,
    long paymentsStored,
    long settlements,
    long eventsExpected,
    long eventsDelivered,
    boolean orderKept,
    long webhookRetries,
    long budgetRefusals,
    int leaseTakeovers,
    int staleWritesRefused,
    Meters meters) {

  /**
   * The binders' view of the run.
   *
   * @param denials rate-limit denials
   * @param replays idempotent replays
   * @param published events the relay published (at least once: a redelivery counts again)
   * @param reclaimed settlement tasks reclaimed from a stalled worker
   * @param health the worst health of the limiter, the relay and the task queue's election
   */
  record Meters(long denials, long replays, long published, long reclaimed, HealthStatus health) {}

  /** The binders counted what the demo saw: every 429, every replay, every takeover. */
  boolean metersAgree() {
    return meters.denials == rateLimited
        && meters.replays == replays
        && meters.reclaimed == leaseTakeovers
        && meters.published >= eventsDelivered;
  }

  /** No double charge: one stored payment per created response, one settlement per payment. */
  boolean noDoubleCharge() {
    return paymentsStored == created && settlements == paymentsStored;
  }

  /** No lost event, none out of order. */
  boolean noLostEvent() {
    return eventsDelivered == eventsExpected && orderKept;
  }

  boolean ok() {
    return noDoubleCharge() && noLostEvent();
  }

  String render() {
    return String.join(
        "\n",
        "Keelson payments demo",
        "  requests sent ................ " + requests,
        "  payments created (201) ....... " + created,
        "  duplicates replayed .......... " + replays,
        "  key reused, other body (422) . " + conflicts,
        "  rate limited (429) ........... " + rateLimited,
        "  payments stored / settled .... " + paymentsStored + " / " + settlements,
        "  events delivered / committed . "
            + eventsDelivered
            + " / "
            + eventsExpected
            + (orderKept ? " (in order per payment)" : " (OUT OF ORDER)"),
        "  webhook retries .............. "
            + webhookRetries
            + " (budget refused "
            + budgetRefusals
            + ", redelivered by the relay)",
        "  settlement lease takeovers ... " + leaseTakeovers,
        "  stale settlement writes refused " + staleWritesRefused,
        "  meters (Micrometer) .......... "
            + meters.denials
            + " denied, "
            + meters.replays
            + " replayed, "
            + meters.published
            + " published, health "
            + meters.health
            + (metersAgree() ? " (agree with the counts above)" : " (DISAGREE)"),
        "  verdict ...................... "
            + (noDoubleCharge() ? "no double charge" : "DOUBLE CHARGE")
            + ", "
            + (noLostEvent() ? "no lost event" : "EVENTS LOST OR REORDERED")
            + (ok() ? ": OK" : ": FAILED"));
  }
}
