package dev.keelson.core.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the script runner promises, on every kind of Redis deployment. */
abstract class RedisScriptRunnerContract {

  static final RedisScript<List<Object>> ECHO =
      RedisScript.fromResource(RedisScriptRunnerContract.class, "echo_call.lua", ScriptResult.LIST);
  static final RedisScript<Long> INCR_BY =
      RedisScript.fromResource(RedisScriptRunnerContract.class, "incr_by.lua", ScriptResult.LONG);
  static final RedisScript<String> FAIL =
      RedisScript.fromResource(RedisScriptRunnerContract.class, "fail.lua", ScriptResult.STRING);
  static final RedisScript<Boolean> IS_SET =
      RedisScript.fromResource(RedisScriptRunnerContract.class, "is_set.lua", ScriptResult.BOOLEAN);
  static final RedisScript<String> GET =
      RedisScript.fromResource(RedisScriptRunnerContract.class, "get.lua", ScriptResult.STRING);

  /** A connection with String keys and values, opened for the test class. */
  abstract StatefulConnection<String, String> connection();

  /** A connection with byte[] keys and values, as some users open theirs. */
  abstract StatefulConnection<byte[], byte[]> binaryConnection();

  /** Runs a command on every master. */
  abstract void onEveryNode(Consumer<RedisCommands<String, String>> command);

  /** A key unique to the test class; keys a script touches together share its hash tag. */
  abstract String key(String name);

  RedisScriptRunner runner() {
    return RedisScriptRunner.on(connection());
  }

  @Test
  void passesKeysAndEveryArgumentType() {
    List<Object> reply =
        runner()
            .run(
                ECHO,
                List.of(key("a"), key("b")),
                "text",
                42L,
                7,
                1.5d,
                "bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(reply).containsExactly(key("a"), key("b"), "text", "42", "7", "1.5", "bytes");
  }

  @Test
  void readsEachResultType() {
    String counter = key("counter");

    assertThat(runner().run(INCR_BY, List.of(counter), 5)).isEqualTo(5L);
    assertThat(runner().run(INCR_BY, List.of(counter), 2)).isEqualTo(7L);
    assertThat(runner().run(IS_SET, List.of(counter))).isTrue();
    assertThat(runner().run(IS_SET, List.of(key("absent")))).isFalse();
    assertThat(runner().run(GET, List.of(counter))).isEqualTo("7");
    assertThat(runner().run(GET, List.of(key("absent")))).isNull();
  }

  @Test
  void runsAsynchronously() throws Exception {
    CompletableFuture<Long> reply =
        runner().runAsync(INCR_BY, List.of(key("async")), 3).toCompletableFuture();

    assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(3L);
  }

  @Test
  void worksOnAConnectionWithAnotherCodec() {
    RedisScriptRunner binary = RedisScriptRunner.on(binaryConnection());

    assertThat(binary.run(INCR_BY, List.of(key("binary")), 11)).isEqualTo(11L);
    assertThat(binary.run(ECHO, List.of(key("binary")), "é")).containsExactly(key("binary"), "é");
  }

  @Test
  void aScriptErrorReachesTheCallerSyncAndAsync() {
    assertThatThrownBy(() -> runner().run(FAIL, List.of(key("x"))))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageContaining("KEELSON_TEST deliberate failure");

    assertThatThrownBy(
            () ->
                runner()
                    .runAsync(FAIL, List.of(key("x")))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RedisCommandExecutionException.class);
  }

  @Test
  void anUnsupportedArgumentIsRejectedBeforeAnythingIsSent() {
    String counter = key("untouched");

    assertThatThrownBy(() -> runner().run(INCR_BY, List.of(counter), new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("args[0]")
        .hasMessageContaining("incr_by.lua");
    assertThatThrownBy(() -> runner().runAsync(INCR_BY, List.of(counter), (Object) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");

    assertThat(runner().run(IS_SET, List.of(counter))).isFalse();
  }

  @Test
  void aFlushedScriptCacheIsRefilledTransparently() throws Exception {
    runner().run(INCR_BY, List.of(key("flush")), 1);

    onEveryNode(RedisCommands::scriptFlush);
    assertThat(runner().run(INCR_BY, List.of(key("flush")), 1)).isEqualTo(2L);

    onEveryNode(RedisCommands::scriptFlush);
    assertThat(
            runner()
                .runAsync(INCR_BY, List.of(key("flush")), 1)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS))
        .isEqualTo(3L);
  }

  @Test
  void inSteadyStateEachRunIsOneEvalsha() {
    runner().run(INCR_BY, List.of(key("steady")), 1);
    onEveryNode(RedisCommands::configResetstat);

    for (int i = 0; i < 5; i++) {
      runner().run(INCR_BY, List.of(key("steady")), 1);
    }

    assertThat(callsOf("evalsha")).isEqualTo(5);
    assertThat(callsOf("eval")).isZero();
  }

  @Test
  void aScriptWithoutTheResourceIsAClearError() {
    assertThatThrownBy(
            () ->
                RedisScript.fromResource(
                    RedisScriptRunnerContract.class, "missing.lua", ScriptResult.LONG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.lua")
        .hasMessageContaining("dev.keelson.core.internal.redis");
    assertThatThrownBy(() -> RedisScript.of("blank", "  ", ScriptResult.LONG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void theDigestIsTheOneRedisComputes() {
    List<String> digests = new ArrayList<>();
    onEveryNode(node -> digests.add(node.scriptLoad(INCR_BY.source())));

    assertThat(digests).isNotEmpty().allMatch(INCR_BY.sha1()::equals);
  }

  private long callsOf(String command) {
    long[] calls = {0};
    onEveryNode(
        node ->
            node.info("commandstats")
                .lines()
                .filter(line -> line.startsWith("cmdstat_" + command + ":"))
                .forEach(
                    line ->
                        calls[0] +=
                            Long.parseLong(
                                line.replaceAll("^cmdstat_[a-z]+:calls=(\\d+),.*", "$1"))));
    return calls[0];
  }
}
