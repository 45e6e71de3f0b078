package dev.keelson.benchmarks.ratelimit;

import dev.keelson.testing.Servers;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions on Redis over one connection, beside what the same connection and server do bare: the
 * targets are ratios between senders, and on a noisy machine a ratio means something only when both
 * sides ran at the same moment. So the senders take turns in rounds (after a warm-up round nobody
 * is judged by), each ratio is taken within a round, and the report gives the median over the
 * rounds and their range. JMH cannot do that: it runs each benchmark in a fork of its own, minutes
 * apart, and it cannot host {@code redis-benchmark}, Redis's own load generator in C.
 *
 * <ul>
 *   <li>One at a time: a Lettuce {@code PING}, the token bucket script by bare Lettuce {@code
 *       EVALSHA}, Keelson's {@code tryAcquire} and Bucket4j's Lettuce backend, each call timed on
 *       its own; {@code redis-benchmark -c 1} sends {@code PING} and the script, for the server's
 *       share.
 *   <li>{@value #IN_FLIGHT} in flight: Keelson's {@code decideAsync}, bare Lettuce {@code EVALSHA}
 *       and {@code redis-benchmark -c 1 -P 32}, the same script over the same keys.
 * </ul>
 *
 * <p>Uniform keys out of {@value RedisRateLimitState#KEYS}, a limit no request reaches. Writes
 * {@code REDIS.md}: {@code java -cp benchmarks.jar
 * dev.keelson.benchmarks.ratelimit.RedisRoundTripReport OUT_DIR DECISIONS}, where DECISIONS is per
 * sender and round in flight, a tenth of it one at a time.
 */
public final class RedisRoundTripReport {

  private static final Logger log = LoggerFactory.getLogger(RedisRoundTripReport.class);
  private static final int DECISIONS = 200_000;
  private static final int ROUNDS = 5;
  private static final int IN_FLIGHT = 32;
  private static final Pattern RATE = Pattern.compile("([0-9.]+) requests per second");
  private static final Pattern P50 = Pattern.compile("p50=([0-9.]+) msec");

  private RedisRoundTripReport() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks");
    int decisions = args.length > 1 ? Integer.parseInt(args[1]) : DECISIONS;
    RedisRateLimitState redis = new RedisRateLimitState();
    redis.connect();
    try {
      RedisURI uri = Servers.redis();
      int calls = Math.max(100, decisions / 10);
      String oneAtATime = oneAtATime(redis, uri, calls);
      String inFlight = inFlight(redis, uri, decisions);
      write(out, calls, decisions, oneAtATime, inFlight);
    } finally {
      redis.close();
    }
  }

  private static String oneAtATime(RedisRateLimitState redis, RedisURI uri, int calls) {
    RedisCommands<String, String> commands = redis.connection.sync();
    Sender<Latency> ping = new Sender<>("Lettuce `PING`", () -> time(calls, commands::ping));
    Sender<Latency> benchmarkPing =
        new Sender<>(
            "`redis-benchmark -c 1`, `PING`",
            () -> Latency.of(redisBenchmark(uri, 1, calls, List.of("PING"))));
    List<Sender<Latency>> senders =
        List.of(
            ping,
            new Sender<>(
                "bare Lettuce `EVALSHA`, token bucket script",
                () -> time(calls, redis::bareScript)),
            new Sender<>(
                "Keelson `RedisRateLimiter.tryAcquire`",
                () -> time(calls, () -> redis.keelson.tryAcquire(redis.keys[redis.nextKey()], 1))),
            new Sender<>(
                "Bucket4j Lettuce `tryConsume` (peer)",
                () -> time(calls, () -> redis.bucket4j[redis.nextKey()].tryConsume(1))),
            benchmarkPing,
            new Sender<>(
                "`redis-benchmark -c 1`, same script",
                () -> Latency.of(redisBenchmark(uri, 1, calls, scriptCommand(redis)))));
    takeTurns(senders);
    StringBuilder md =
        new StringBuilder("| sender | p50 µs | mean µs | p50 ÷ `PING`'s | mean ÷ `PING`'s |\n")
            .append("|---|---:|---:|---:|---:|\n");
    for (Sender<Latency> sender : senders) {
      Sender<Latency> reference = sender.name.startsWith("`redis") ? benchmarkPing : ping;
      startRow(md, sender)
          .append(median(sender, Latency::p50Micros, "%.1f"))
          .append(" | ")
          .append(median(sender, Latency::meanMicros, "%.1f"))
          .append(" | ")
          .append(times(sender, reference, Latency::p50Micros))
          .append(" | ")
          .append(times(sender, reference, Latency::meanMicros))
          .append(" |\n");
    }
    return md.toString();
  }

  private static String inFlight(RedisRateLimitState redis, RedisURI uri, int decisions) {
    Sender<Double> reference =
        new Sender<>(
            "`redis-benchmark -c 1 -P " + IN_FLIGHT + "`, same script",
            () -> redisBenchmark(uri, IN_FLIGHT, decisions, scriptCommand(redis)).perSecond);
    List<Sender<Double>> senders =
        List.of(
            new Sender<>(
                "Keelson `RedisRateLimiter.decideAsync`",
                () ->
                    perSecond(
                        decisions,
                        () -> redis.keelson.decideAsync(redis.keys[redis.nextKey()], 1))),
            new Sender<>(
                "bare Lettuce `EVALSHA`, same script",
                () -> perSecond(decisions, redis::bareScriptAsync)),
            reference);
    takeTurns(senders);
    StringBuilder md =
        new StringBuilder("| sender | decisions/s | ÷ `redis-benchmark`'s |\n")
            .append("|---|---:|---:|\n");
    for (Sender<Double> sender : senders) {
      startRow(md, sender)
          .append(median(sender, Double::doubleValue, "%.0f"))
          .append(" | ")
          .append(percent(sender, reference))
          .append(" |\n");
    }
    return md.toString();
  }

  /** The row's first cell: the sender, and why it did not run if it did not. */
  private static StringBuilder startRow(StringBuilder md, Sender<?> sender) {
    return md.append("| ")
        .append(sender.name)
        .append(sender.notRun == null ? "" : ": " + sender.notRun)
        .append(" | ");
  }

  /** Runs every sender once per round, in turn; the first round only warms up. */
  private static <T> void takeTurns(List<Sender<T>> senders) {
    for (int round = 0; round <= ROUNDS; round++) {
      for (Sender<T> sender : senders) {
        sender.measure(round > 0);
      }
    }
  }

  private static Latency time(int calls, Runnable call) {
    long[] nanos = new long[calls];
    long total = 0;
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      call.run();
      nanos[i] = System.nanoTime() - start;
      total += nanos[i];
    }
    Arrays.sort(nanos);
    return new Latency(nanos[calls / 2] / 1e3, total / 1e3 / calls);
  }

  /** Runs {@code decisions} calls, never more than {@value #IN_FLIGHT} unanswered; calls/s. */
  private static double perSecond(int decisions, Supplier<CompletionStage<?>> call) {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    long start = System.nanoTime();
    for (int i = 0; i < decisions; i++) {
      slots.acquireUninterruptibly();
      call.get().whenComplete((result, error) -> slots.release());
    }
    slots.acquireUninterruptibly(IN_FLIGHT);
    return decisions / ((System.nanoTime() - start) / 1e9);
  }

  /** The token bucket script as {@code redis-benchmark} sends it, over the same random keys. */
  private static List<String> scriptCommand(RedisRateLimitState redis) {
    return Stream.concat(
            Stream.of(
                "-r",
                Integer.toString(RedisRateLimitState.KEYS),
                "EVALSHA",
                redis.tokenBucketSha,
                "1",
                redis.keelson.redisKey("__rand_int__")),
            Arrays.stream(RedisRateLimitState.SCRIPT_ARGS))
        .toList();
  }

  /**
   * One run of {@code redis-benchmark -c 1 -P pipeline}.
   *
   * @param command its options after {@code -q} and the command to send
   * @throws IllegalStateException saying why it did not run
   */
  private static BenchmarkRun redisBenchmark(
      RedisURI uri, int pipeline, int requests, List<String> command) {
    List<String> line =
        new ArrayList<>(
            List.of(
                "redis-benchmark",
                "-h",
                uri.getHost(),
                "-p",
                Integer.toString(uri.getPort()),
                "-c",
                "1",
                "-P",
                Integer.toString(pipeline),
                "-n",
                Integer.toString(requests),
                "-q"));
    line.addAll(command);
    String output;
    try {
      Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("failed: " + output.strip());
      }
    } catch (IOException notInstalled) {
      throw new IllegalStateException(
          "not run: `redis-benchmark` is not on the PATH (Debian: `apt-get install redis-tools`)",
          notInstalled);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    // -q rewrites one progress line with carriage returns; the last one has the result.
    String result = output.substring(output.lastIndexOf('\r') + 1).strip();
    Matcher rate = RATE.matcher(result);
    if (!rate.find()) {
      throw new IllegalStateException("no rate in its output: " + result);
    }
    Matcher p50 = P50.matcher(result);
    log.info("redis-benchmark -P {}: {}", pipeline, result);
    return new BenchmarkRun(
        Double.parseDouble(rate.group(1)),
        p50.find() ? Double.parseDouble(p50.group(1)) * 1e3 : Double.NaN);
  }

  private static <T> String median(Sender<T> sender, ToDoubleFunction<T> value, String format) {
    if (sender.notRun != null) {
      return "–";
    }
    double median = Rounds.median(sender.values(value));
    return Double.isNaN(median) ? "–" : String.format(Locale.ROOT, format, median);
  }

  private static <T> String times(
      Sender<T> sender, Sender<T> reference, ToDoubleFunction<T> value) {
    return sender.notRun != null || reference.notRun != null
        ? "–"
        : Rounds.times(sender.values(value), reference.values(value));
  }

  private static String percent(Sender<Double> sender, Sender<Double> reference) {
    return sender.notRun != null || reference.notRun != null
        ? "–"
        : Rounds.percent(sender.values(Double::doubleValue), reference.values(Double::doubleValue));
  }

  private static void write(Path out, int calls, int decisions, String oneAtATime, String inFlight)
      throws IOException {
    String md =
        "# Redis decisions on one connection\n\n"
            + "Written by `benchmarks/run.sh` (`RedisRoundTripReport`): the token bucket script,"
            + " uniform keys out of "
            + RedisRateLimitState.KEYS
            + ", a limit no request reaches, one connection to one Redis. The senders take turns"
            + " in "
            + ROUNDS
            + " rounds after a warm-up round; each figure is the median over the rounds, each"
            + " ratio is taken within a round (its median, and the range over the rounds in"
            + " brackets). JDK "
            + System.getProperty("java.version")
            + ".\n\n## One at a time\n\n"
            + calls
            + " calls per sender and round, each timed on its own. `redis-benchmark` (Redis's"
            + " own client, in C) reports its median and its rate, whose inverse is its mean;"
            + " its rows are compared to its own `PING`.\n\n"
            + oneAtATime
            + "\n## "
            + IN_FLIGHT
            + " in flight\n\n"
            + decisions
            + " decisions per sender and round, never more than "
            + IN_FLIGHT
            + " unanswered.\n\n"
            + inFlight;
    Files.createDirectories(out);
    Path file = out.resolve("REDIS.md");
    Files.writeString(file, md, StandardCharsets.UTF_8);
    log.info("Redis decisions: report {}", file);
  }

  /** One figure a round, from the same measurement; a sender that cannot run says why, once. */
  private static final class Sender<T> {
    final String name;
    final Supplier<T> measurement;
    final List<T> results = new ArrayList<>();
    @Nullable String notRun;

    Sender(String name, Supplier<T> measurement) {
      this.name = name;
      this.measurement = measurement;
    }

    double[] values(ToDoubleFunction<T> value) {
      return results.stream().mapToDouble(value).toArray();
    }

    void measure(boolean counts) {
      if (notRun != null) {
        return;
      }
      try {
        T result = measurement.get();
        if (counts) {
          results.add(result);
        }
      } catch (IllegalStateException e) {
        log.warn("{}: {}", name, e.getMessage());
        notRun = e.getMessage();
      }
    }
  }

  private record Latency(double p50Micros, double meanMicros) {
    /** One request at a time: the mean is the inverse of the rate. */
    static Latency of(BenchmarkRun run) {
      return new Latency(run.p50Micros, 1e6 / run.perSecond);
    }
  }

  private record BenchmarkRun(double perSecond, double p50Micros) {}
}
