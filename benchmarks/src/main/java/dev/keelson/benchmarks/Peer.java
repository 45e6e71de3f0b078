package dev.keelson.benchmarks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a benchmark that measures the same operation in a library a user would pick instead of
 * Keelson (Bucket4j, Resilience4j, Guava, Failsafe...).
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Peer {

  /**
   * @return the peer's name as users know it, for example {@code "Bucket4j"}
   */
  String value();
}
