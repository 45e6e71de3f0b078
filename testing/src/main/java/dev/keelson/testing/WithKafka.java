package dev.keelson.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a real Kafka broker: declare a {@link KafkaServer} parameter on a test
 * method, a lifecycle method or the constructor.
 *
 * <p>By default the broker is shared by every test class in the JVM and provided by the first
 * source that works: an explicit address (see the testing module's README), Docker through
 * Testcontainers, or a local broker in a child JVM. If none works, the test fails with a message
 * that says how to provide one; it is never skipped.
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KafkaExtension.class)
public @interface WithKafka {

  /**
   * Starts a local broker for this class alone, stopped after it, so the class can stop, kill and
   * restart it through {@link ServerControl} without disturbing other classes.
   *
   * @return whether the class gets its own broker
   */
  boolean dedicated() default false;
}
