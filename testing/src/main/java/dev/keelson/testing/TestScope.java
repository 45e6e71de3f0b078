package dev.keelson.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one test class acquired (clients, connections, a dedicated server, a database), released
 * newest first when the class is done. JUnit closes it with the class's extension store.
 */
final class TestScope implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TestScope.class);

  private final Class<?> testClass;
  private final String id;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  TestScope(Class<?> testClass) {
    this.testClass = testClass;
    this.id = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
  }

  Class<?> testClass() {
    return testClass;
  }

  /** A name unique to this class in this run, made of letters, digits and underscores. */
  String uniqueName() {
    String simple = testClass.getSimpleName().replaceAll("[^A-Za-z0-9]", "");
    if (simple.length() > 30) {
      simple = simple.substring(0, 30);
    }
    return (simple + "_" + id).toLowerCase(Locale.ROOT);
  }

  /** A Redis key prefix unique to this class in this run, without hash-tag braces. */
  String keyPrefix() {
    return "test:" + uniqueName() + ":";
  }

  <T extends AutoCloseable> T register(T resource) {
    synchronized (resources) {
      resources.push(resource);
    }
    return resource;
  }

  @Override
  public void close() {
    synchronized (resources) {
      while (!resources.isEmpty()) {
        try {
          resources.pop().close();
        } catch (Exception e) {
          log.warn("could not release a resource of {}", testClass.getName(), e);
        }
      }
    }
  }
}
