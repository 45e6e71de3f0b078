package dev.keelson.benchmarks.ratelimit;

import dev.keelson.benchmarks.BenchmarkGroup;
import org.openjdk.jmh.annotations.Threads;

/** The same single key, shared by two threads at once: the state is contended. */
@BenchmarkGroup(
    name = "ratelimit-in-process-2-threads",
    title = "In-process, one key, two threads at once: a granted permit",
    baseline = "InProcessRateLimitTwoThreadsBenchmark.clockRead")
@Threads(2)
public class InProcessRateLimitTwoThreadsBenchmark extends InProcessRateLimitBenchmark {}
