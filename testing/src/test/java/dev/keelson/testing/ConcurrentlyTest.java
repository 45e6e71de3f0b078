package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {

  @Test
  void runsEveryThreadWithItsIndexAndWaitsForAll() {
    Set<Integer> indexes = ConcurrentHashMap.newKeySet();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger work = new AtomicInteger();

    Concurrently.run(
        6,
        index -> {
          indexes.add(index);
          threads.add(Thread.currentThread().getName());
          work.addAndGet(1_000);
        });

    assertThat(indexes).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    assertThat(threads).hasSize(6);
    assertThat(work).hasValue(6_000);
  }

  @Test
  void aFailingThreadFailsTheCall() {
    assertThatThrownBy(
            () ->
                Concurrently.run(
                    3,
                    index -> {
                      if (index == 1) {
                        throw new IllegalStateException("thread 1 broke");
                      }
                    }))
        .isInstanceOf(AssertionError.class)
        .hasRootCauseMessage("thread 1 broke");
  }
}
