package dev.keelson.benchmarks.baseline;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The cost of calling a method that does nothing: the floor for any in-process decision. */
@BenchmarkGroup(name = "direct-call", title = "A direct, non-inlined method call")
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DirectCallBenchmark {

  private long value = 42;

  @Benchmark
  @Baseline
  public long directCall() {
    return identity(value);
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private static long identity(long input) {
    return input;
  }
}
