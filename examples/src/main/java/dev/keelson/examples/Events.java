package dev.keelson.examples;

import dev.keelson.outbox.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The events the service publishes; the payment id is the key, so they arrive in order. */
final class Events {

  static final String CREATED = "payment.created";
  static final String SETTLED = "payment.settled";

  private Events() {}

  static OutboxMessage created(UUID payment, String tenant, long cents) {
    return event(
        CREATED, payment, "{\"tenant\":\"" + tenant + "\",\"amount_cents\":" + cents + "}");
  }

  static OutboxMessage settled(UUID payment, String worker) {
    return event(SETTLED, payment, "{\"settled_by\":\"" + worker + "\"}");
  }

  private static OutboxMessage event(String type, UUID payment, String json) {
    return OutboxMessage.of("payments", payment.toString(), json.getBytes(StandardCharsets.UTF_8))
        .withHeader("Content-Type", "application/json")
        .withHeader("Event-Type", type);
  }
}
