package dev.keelson.core.internal.redis;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.ValueOutput;
import java.util.List;
import java.util.function.Function;

/**
 * The Java type a script's reply is read as. Strings are decoded as UTF-8.
 *
 * @param <T> the reply's Java type
 */
public final class ScriptResult<T> {

  /** An integer reply (a Lua number), as a {@link Long}. */
  public static final ScriptResult<Long> LONG = new ScriptResult<>("LONG", IntegerOutput::new);

  /** A bulk or status reply (a Lua string), as a {@link String}. */
  public static final ScriptResult<String> STRING = new ScriptResult<>("STRING", ValueOutput::new);

  /** A Lua boolean: {@code true} is 1, {@code false} arrives as nil and reads as false. */
  public static final ScriptResult<Boolean> BOOLEAN =
      new ScriptResult<>("BOOLEAN", BooleanOutput::new);

  /**
   * An array reply (a Lua table), as a list of {@link Long}, {@link String}, nested lists and
   * nulls.
   */
  public static final ScriptResult<List<Object>> LIST =
      new ScriptResult<>("LIST", NestedMultiOutput::new);

  private final String name;
  private final Function<RedisCodec<String, String>, CommandOutput<String, String, T>> outputs;

  private ScriptResult(
      String name, Function<RedisCodec<String, String>, CommandOutput<String, String, T>> outputs) {
    this.name = name;
    this.outputs = outputs;
  }

  /** A fresh output to collect one reply; outputs are stateful and never shared. */
  CommandOutput<String, String, T> newOutput() {
    return outputs.apply(StringCodec.UTF8);
  }

  @Override
  public String toString() {
    return name;
  }
}
