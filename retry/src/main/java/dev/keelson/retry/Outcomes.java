package dev.keelson.retry;

import dev.keelson.core.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Which outcomes retry, which abort, and which carry a server's {@code Retry-After} hint. Rules are
 * arrays so that the success path, which only asks about results, loops over nothing when no result
 * rule is set.
 */
final class Outcomes {

  /** A test on values of one type. */
  static final class Rule<X> {
    private final Class<X> type;
    private final Predicate<? super X> test;

    Rule(Class<X> type, Predicate<? super X> test) {
      this.type = type;
      this.test = test;
    }

    boolean matches(@Nullable Object value) {
      return type.isInstance(value) && test.test(type.cast(value));
    }
  }

  /** Reads a retry-after duration from values of one type. */
  static final class Hint<X> {
    private final Class<X> type;
    private final Function<? super X, @Nullable Duration> reader;

    Hint(Class<X> type, Function<? super X, @Nullable Duration> reader) {
      this.type = type;
      this.reader = reader;
    }

    @Nullable Duration read(@Nullable Object value) {
      return type.isInstance(value) ? reader.apply(type.cast(value)) : null;
    }
  }

  /** One rule per exception type, matching it and its subtypes. */
  @SafeVarargs
  static List<Rule<?>> typeRules(String field, Class<? extends Throwable>... types) {
    Objects.requireNonNull(types, field);
    List<Rule<?>> rules = new ArrayList<>(types.length);
    for (Class<? extends Throwable> type : types) {
      rules.add(new Rule<>(Objects.requireNonNull(type, field + " type"), matched -> true));
    }
    return rules;
  }

  private final Rule<?>[] retryFailures;
  private final Rule<?>[] abortFailures;
  private final Rule<?>[] retryResults;
  private final Hint<?>[] hints;

  Outcomes(
      List<Rule<?>> retryFailures,
      List<Rule<?>> abortFailures,
      List<Rule<?>> retryResults,
      List<Hint<?>> hints) {
    this.retryFailures = retryFailures.toArray(new Rule<?>[0]);
    this.abortFailures = abortFailures.toArray(new Rule<?>[0]);
    this.retryResults = retryResults.toArray(new Rule<?>[0]);
    this.hints = hints.toArray(new Hint<?>[0]);
  }

  /**
   * Whether a failure is retried: never an {@link Error} or an interruption, never what an abort
   * rule matches; otherwise what a retry rule matches, or any exception when there is none.
   */
  boolean retries(Throwable failure) {
    if (failure instanceof Error || failure instanceof InterruptedException) {
      return false;
    }
    for (Rule<?> rule : abortFailures) {
      if (rule.matches(failure)) {
        return false;
      }
    }
    if (retryFailures.length == 0) {
      return true;
    }
    for (Rule<?> rule : retryFailures) {
      if (rule.matches(failure)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a result, though returned normally, asks for a retry (an HTTP 503, say). */
  boolean retriesResult(@Nullable Object result) {
    for (Rule<?> rule : retryResults) {
      if (rule.matches(result)) {
        return true;
      }
    }
    return false;
  }

  /** The server's retry-after hint carried by a result or failure, or -1 for none. */
  long retryAfterNanos(@Nullable Object outcome) {
    for (Hint<?> hint : hints) {
      Duration wait = hint.read(outcome);
      if (wait != null) {
        return Math.max(0, Checks.saturatedNanos(wait));
      }
    }
    return -1;
  }
}
