package dev.keelson.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Keeps what it is given, for tests and demos: every delivery in order, duplicates included. A rule
 * decides each message's fate (default: delivered), so tests can make it fail.
 */
public final class InMemoryPublisher implements Publisher {

  private final List<OutboxMessage> delivered = new ArrayList<>();
  private volatile Function<OutboxMessage, PublishResult> rule =
      message -> PublishResult.delivered();

  private InMemoryPublisher() {}

  /**
   * @return a publisher that delivers every message until {@link #setRule} says otherwise
   */
  public static InMemoryPublisher withDefaults() {
    return new InMemoryPublisher();
  }

  /**
   * @param rule decides each message's fate from now on
   */
  public void setRule(Function<OutboxMessage, PublishResult> rule) {
    this.rule = rule;
  }

  @Override
  public CompletionStage<List<PublishResult>> publish(List<OutboxMessage> batch) {
    List<PublishResult> results = new ArrayList<>(batch.size());
    for (OutboxMessage message : batch) {
      PublishResult result = rule.apply(message);
      if (result == PublishResult.delivered()) {
        synchronized (delivered) {
          delivered.add(message);
        }
      }
      results.add(result);
    }
    return CompletableFuture.completedFuture(results);
  }

  /**
   * @return every delivered message so far, in delivery order, duplicates included
   */
  public List<OutboxMessage> delivered() {
    synchronized (delivered) {
      return new ArrayList<>(delivered);
    }
  }
}
