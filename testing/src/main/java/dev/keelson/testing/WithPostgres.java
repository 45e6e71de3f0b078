package dev.keelson.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a fresh database on a real PostgreSQL server: declare a {@link
 * PostgresDatabase} parameter on a test method, a lifecycle method or the constructor.
 *
 * <p>By default the server is shared by every test class in the JVM and provided by the first
 * source that works: an explicit address (see the testing module's README), Docker through
 * Testcontainers, or a local server process. If none works, the test fails with a message that says
 * how to provide one; it is never skipped.
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresExtension.class)
public @interface WithPostgres {

  /**
   * Starts a local PostgreSQL for this class alone, stopped after it, so the class can stop, kill
   * and restart it through {@link ServerControl} without disturbing other classes.
   *
   * @return whether the class gets its own server
   */
  boolean dedicated() default false;
}
