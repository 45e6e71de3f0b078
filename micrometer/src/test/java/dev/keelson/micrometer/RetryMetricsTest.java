package dev.keelson.micrometer;

import static dev.keelson.micrometer.Meter.count;
import static dev.keelson.micrometer.Meter.find;
import static dev.keelson.micrometer.Meter.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.retry.Backoff;
import dev.keelson.retry.RatioRetryBudget;
import dev.keelson.retry.Retry;
import dev.keelson.retry.RetryListener;
import dev.keelson.retry.TokenBucketRetryBudget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retry calls through each way they end, read back from the meters. */
class RetryMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RetryMetrics metrics = RetryMetrics.on(registry);

  private Retry.Builder policy(String name) {
    return Retry.builder()
        .name(name)
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ZERO))
        .sleeper(nanos -> {})
        .withoutBudget()
        .listener(metrics);
  }

  @Test
  void callsAreCountedByOutcomeWithTheirAttempts() throws Exception {
    Retry retry = policy("payments").retryIf(e -> e instanceof IOException).build();
    AtomicInteger calls = new AtomicInteger();

    assertThat(retry.call(() -> "first try")).isEqualTo("first try");
    assertThat(
            retry.call(
                () -> {
                  if (calls.incrementAndGet() < 3) {
                    throw new IOException("flaky");
                  }
                  return "third try";
                }))
        .isEqualTo("third try");
    assertThatThrownBy(() -> retry.call(() -> failWith(new IOException("down"))))
        .hasMessage("down");
    assertThatThrownBy(() -> retry.call(() -> failWith(new IllegalStateException("bug"))))
        .hasMessage("bug");

    assertThat(count(registry, "keelson.retry.calls", "name", "payments", "outcome", "success"))
        .isEqualTo(2);
    assertThat(
            count(
                registry,
                "keelson.retry.calls",
                "name",
                "payments",
                "outcome",
                "attempts_exhausted"))
        .isEqualTo(1);
    assertThat(
            count(registry, "keelson.retry.calls", "name", "payments", "outcome", "not_retryable"))
        .isEqualTo(1);
    assertThat(count(registry, "keelson.retry.retries", "name", "payments"))
        .as("two for the flaky call, two for the one that ran out")
        .isEqualTo(4);

    assertThat(count(registry, "keelson.retry.attempts", "name", "payments", "outcome", "success"))
        .as("1 + 3 attempts")
        .isEqualTo(4);
    assertThat(count(registry, "keelson.retry.attempts", "name", "payments", "outcome", "failure"))
        .as("3 + 1 attempts")
        .isEqualTo(4);
  }

  @Test
  void refusedRetriesAndTheBudgetsLevelAreMetered() throws Exception {
    TokenBucketRetryBudget budget =
        TokenBucketRetryBudget.builder().capacity(10).retryCost(5).successRefill(1).build();
    Retry retry = policy("search").maxAttempts(10).budget(budget).build();
    metrics.gaugeBudget("search", budget);
    assertThat(gauge(registry, "keelson.retry.budget.available", "name", "search")).isEqualTo(2);

    assertThatThrownBy(() -> retry.call(() -> failWith(new IOException("down"))));

    assertThat(
            count(registry, "keelson.retry.calls", "name", "search", "outcome", "budget_exhausted"))
        .isEqualTo(1);
    assertThat(count(registry, "keelson.retry.retries", "name", "search"))
        .as("the two retries the budget paid for")
        .isEqualTo(2);
    assertThat(gauge(registry, "keelson.retry.budget.available", "name", "search")).isZero();
    assertThat(
            find(registry, "keelson.retry.budget.available", "name", "search")
                .gauge()
                .getId()
                .getBaseUnit())
        .isEqualTo("retries");
    Reference.reachabilityFence(budget); // the gauge holds it weakly
  }

  @Test
  void aDeadlineThatEndsACallIsItsOutcome() {
    long[] now = {0};
    Retry retry =
        policy("slow")
            .maxAttempts(5)
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .deadline(Duration.ofMillis(1500))
            .ticker(() -> now[0])
            .sleeper(nanos -> now[0] += nanos)
            .build();

    assertThatThrownBy(() -> retry.call(() -> failWith(new IOException("slow"))));

    assertThat(count(registry, "keelson.retry.calls", "name", "slow", "outcome", "deadline"))
        .isEqualTo(1);
  }

  @Test
  void oneBinderServesManyPoliciesAndCombinesWithTheUsersListener() throws Exception {
    List<String> mine = new ArrayList<>();
    RetryListener logging =
        new RetryListener() {
          @Override
          public void onSucceeded(String retry, int attempts) {
            mine.add(retry);
          }
        };
    RatioRetryBudget shared = RatioRetryBudget.withDefaults();
    Retry a = policy("a").budget(shared).listener(RetryListener.of(metrics, logging)).build();
    Retry b = policy("b").listener(RetryListener.of(logging, metrics)).build();

    a.call(() -> 1);
    b.call(() -> 2);
    b.call(() -> 3);

    assertThat(count(registry, "keelson.retry.calls", "name", "a", "outcome", "success"))
        .isEqualTo(1);
    assertThat(count(registry, "keelson.retry.calls", "name", "b", "outcome", "success"))
        .isEqualTo(2);
    assertThat(mine).containsExactly("a", "b", "b");
  }

  @Test
  void tagsAddUpAndComeBeforeKeelsonsOwn() throws Exception {
    RetryMetrics tagged =
        RetryMetrics.builder(registry).tags("app", "shop").tags("region", "eu").build();
    policy("tagged").listener(tagged).build().call(() -> "ok");

    assertThat(
            find(registry, "keelson.retry.calls", "name", "tagged", "outcome", "success")
                .counter()
                .getId()
                .getTags())
        .extracting(tag -> tag.getKey() + "=" + tag.getValue())
        .contains("app=shop", "region=eu", "name=tagged", "outcome=success");
  }

  @Test
  void aSecondGaugeForOneNameShowsTheBudgetGivenLast() {
    TokenBucketRetryBudget first =
        TokenBucketRetryBudget.builder().capacity(10).retryCost(5).build();
    TokenBucketRetryBudget last =
        TokenBucketRetryBudget.builder().capacity(30).retryCost(5).build();
    metrics.gaugeBudget("shared", first);
    RetryMetrics.on(registry).gaugeBudget("shared", last); // another binder, the same registry

    assertThat(gauge(registry, "keelson.retry.budget.available", "name", "shared")).isEqualTo(6);
    assertThat(registry.find("keelson.retry.budget.available").gauges()).hasSize(1);
    Reference.reachabilityFence(first); // the gauges hold them weakly
    Reference.reachabilityFence(last);
  }

  @Test
  void badSettingsAreRefusedWithAClearMessage() {
    assertThatThrownBy(() -> RetryMetrics.builder(registry).tags("name", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'name' is a key Keelson sets itself");
    assertThatThrownBy(() -> RetryMetrics.builder(registry).tags("app"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key, value pairs");
    assertThatThrownBy(() -> metrics.gaugeBudget(" ", RatioRetryBudget.withDefaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> RetryMetrics.on(null)).isInstanceOf(NullPointerException.class);
    assertThat(registry.getMeters()).as("nothing registered by refused input").isEmpty();
  }

  private static String failWith(Exception e) throws Exception {
    throw e;
  }
}
