package dev.keelson.core.internal.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RedisScript}s on a user's Lettuce connection, standalone ({@code
 * StatefulRedisConnection}) or Cluster ({@code StatefulRedisClusterConnection}), whatever codec
 * that connection was opened with.
 *
 * <p>Every run is one {@code EVALSHA} round trip. When the server answers {@code NOSCRIPT} (its
 * script cache was flushed, it restarted, or a Cluster node never saw the script), the runner sends
 * the same call once as {@code EVAL} with the full source: Redis runs it and caches it in the same
 * round trip, on exactly the node that owns the keys, and later calls go back to {@code EVALSHA}.
 * {@code NOSCRIPT} means the script did not run, so the fallback never runs it twice.
 *
 * <p>Keys travel as {@code KEYS[]} and route the call in a Cluster by the first key; a script's
 * keys must share one hash slot (use a hash tag). Arguments travel as {@code ARGV[]}. The runner
 * owns nothing: closing the connection is the caller's business. It is thread-safe.
 */
public final class RedisScriptRunner {

  private static final Logger log = LoggerFactory.getLogger(RedisScriptRunner.class);

  private final StatefulConnection<?, ?> connection;

  private RedisScriptRunner(StatefulConnection<?, ?> connection) {
    this.connection = connection;
  }

  /**
   * A runner on a connection the caller owns.
   *
   * @param connection a standalone or Cluster connection, with any codec
   * @return the runner
   */
  public static RedisScriptRunner on(StatefulConnection<?, ?> connection) {
    return new RedisScriptRunner(Objects.requireNonNull(connection, "connection"));
  }

  /**
   * Runs a script and waits for its reply, at most the connection's command timeout.
   *
   * @param script the script
   * @param keys the keys it touches ({@code KEYS[]}), sharing one hash slot
   * @param args its arguments ({@code ARGV[]}): {@code String}, {@code Long}, {@code Integer},
   *     {@code Double} or {@code byte[]}
   * @param <T> the reply's Java type
   * @return the reply
   * @throws io.lettuce.core.RedisCommandExecutionException if the script raised an error
   * @throws io.lettuce.core.RedisCommandTimeoutException if no reply came within the timeout
   * @throws IllegalArgumentException if an argument has an unsupported type
   */
  public <T> T run(RedisScript<T> script, List<String> keys, Object... args) {
    return run(script, connection.getTimeout(), keys, args);
  }

  /**
   * Runs a script and waits for its reply at most {@code timeout} (the {@code NOSCRIPT} fallback,
   * when needed, gets the same again).
   *
   * @param script the script
   * @param timeout how long to wait for the reply
   * @param keys the keys it touches ({@code KEYS[]}), sharing one hash slot
   * @param args its arguments ({@code ARGV[]}), as for {@link #run(RedisScript, List, Object...)}
   * @param <T> the reply's Java type
   * @return the reply
   */
  public <T> T run(RedisScript<T> script, Duration timeout, List<String> keys, Object... args) {
    Objects.requireNonNull(timeout, "timeout");
    CommandArgs<String, String> bySha = encode(CommandType.EVALSHA, script, keys, args);
    try {
      return await(dispatch(CommandType.EVALSHA, script, bySha), timeout);
    } catch (RedisNoScriptException e) {
      logReload(script);
      CommandArgs<String, String> bySource = encode(CommandType.EVAL, script, keys, args);
      return await(dispatch(CommandType.EVAL, script, bySource), timeout);
    }
  }

  /**
   * Runs a script without blocking the calling thread.
   *
   * @param script the script
   * @param keys the keys it touches ({@code KEYS[]}), sharing one hash slot
   * @param args its arguments ({@code ARGV[]}), as for {@link #run}
   * @param <T> the reply's Java type
   * @return the reply, or the Redis failure; cancelling it cancels the command in flight
   * @throws IllegalArgumentException if an argument has an unsupported type
   */
  public <T> CompletionStage<T> runAsync(RedisScript<T> script, List<String> keys, Object... args) {
    CommandArgs<String, String> bySha = encode(CommandType.EVALSHA, script, keys, args);
    CompletableFuture<T> reply = new CompletableFuture<>();
    AsyncCommand<String, String, T> first = dispatch(CommandType.EVALSHA, script, bySha);
    first.whenComplete(
        (value, error) -> {
          if (error == null) {
            reply.complete(value);
          } else if (error instanceof RedisNoScriptException) {
            logReload(script);
            AsyncCommand<String, String, T> retry =
                dispatch(CommandType.EVAL, script, encode(CommandType.EVAL, script, keys, args));
            retry.whenComplete((v, e) -> complete(reply, v, e));
            reply.whenComplete((v, e) -> cancelIfCancelled(reply, retry));
          } else {
            reply.completeExceptionally(error);
          }
        });
    reply.whenComplete((v, e) -> cancelIfCancelled(reply, first));
    return reply;
  }

  /** The arguments of one EVALSHA or EVAL call; validates everything before anything is sent. */
  private static CommandArgs<String, String> encode(
      CommandType type, RedisScript<?> script, List<String> keys, Object[] args) {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(args, "args");
    CommandArgs<String, String> encoded = new CommandArgs<>(StringCodec.UTF8);
    encoded.add(type == CommandType.EVALSHA ? script.sha1() : script.source());
    encoded.add(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      encoded.addKey(Objects.requireNonNull(keys.get(i), () -> "keys: null key"));
    }
    for (int i = 0; i < args.length; i++) {
      Object arg = args[i];
      if (arg instanceof String) {
        encoded.addValue((String) arg);
      } else if (arg instanceof Long || arg instanceof Integer) {
        encoded.add(((Number) arg).longValue());
      } else if (arg instanceof Double) {
        encoded.add((Double) arg);
      } else if (arg instanceof byte[]) {
        encoded.add((byte[]) arg);
      } else {
        throw new IllegalArgumentException(
            "args["
                + i
                + "]: unsupported type "
                + (arg == null ? "null" : arg.getClass().getName())
                + " for script '"
                + script.name()
                + "' (allowed: String, Long, Integer, Double, byte[])");
      }
    }
    return encoded;
  }

  private <T> AsyncCommand<String, String, T> dispatch(
      CommandType type, RedisScript<T> script, CommandArgs<String, String> args) {
    AsyncCommand<String, String, T> command =
        new AsyncCommand<>(new Command<>(type, script.result().newOutput(), args));
    dispatchRaw(command);
    return command;
  }

  // The connection's own codec never touches this command: its arguments are encoded by the
  // command's UTF-8 codec and its reply decoded by its own output, so the cast is safe.
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void dispatchRaw(RedisCommand<String, String, ?> command) {
    ((StatefulConnection) connection).dispatch(command);
  }

  private static <T> T await(AsyncCommand<String, String, T> command, Duration timeout) {
    return LettuceFutures.awaitOrCancel(command, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static <T> void complete(CompletableFuture<T> reply, T value, Throwable error) {
    if (error == null) {
      reply.complete(value);
    } else {
      reply.completeExceptionally(error);
    }
  }

  private static void cancelIfCancelled(CompletableFuture<?> reply, AsyncCommand<?, ?, ?> command) {
    if (reply.isCancelled()) {
      command.cancel(false);
    }
  }

  private static void logReload(RedisScript<?> script) {
    log.debug(
        "Redis does not know script {} ({}); sending its source", script.name(), script.sha1());
  }
}
