package dev.keelson.benchmarks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a benchmark class's methods into a group of the results report: one table and one chart,
 * with every row's cost compared to the group's baseline and to each peer. Several classes may
 * share a group name.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface BenchmarkGroup {

  /**
   * @return the group's name: lower case, digits and dashes; also the chart's file name
   */
  String name();

  /**
   * @return one line that says what the group measures
   */
  String title();

  /**
   * The benchmark every row is compared to, as {@code SimpleClassName.method}; it may belong to
   * another group (for example a bare {@code EVALSHA}). Empty means the group's only {@link
   * Baseline} method.
   *
   * @return the baseline benchmark, or empty
   */
  String baseline() default "";
}
